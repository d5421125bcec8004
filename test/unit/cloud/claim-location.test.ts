import * as assert from 'node:assert/strict';
import { ClaimLocator, type TenantRef } from '../../../src/cloud/claim-location';

const CONTOSO: TenantRef = { Id: 'c0', Name: 'Contoso' };
const FLEET: TenantRef = { Id: 'f1', Name: 'Fleet' };
const DEVICE = 'ab'.repeat(64);

describe('cloud/ClaimLocator: the one cache of claim locations', () => {
  it('answers as data, asks the target tenant first, and shares one lookup between askers', async () => {
    const asked: string[] = [];
    const locator = new ClaimLocator(async (tenantId) => {
      asked.push(tenantId);
      return tenantId === FLEET.Id;
    });
    const [a, b] = await Promise.all([locator.locate(DEVICE, [CONTOSO, FLEET], FLEET.Id), locator.locate(DEVICE.toUpperCase(), [CONTOSO, FLEET])]);
    assert.deepEqual(a, { kind: 'tenant', tenant: FLEET });
    assert.equal(a, b);
    assert.deepEqual(asked, [FLEET.Id], 'one request: the target tenant first, the second asker shares it');
    assert.deepEqual(locator.peek(DEVICE), { kind: 'tenant', tenant: FLEET });
    await locator.locate(DEVICE, [CONTOSO, FLEET]);
    assert.equal(asked.length, 1, 'a known location costs no request');
  });

  it('keeps no failed answer, and drops answers that arrive after forget()', async () => {
    let fail = true;
    let release!: () => void;
    const locator = new ClaimLocator(async () => {
      if (fail) throw new Error('service down');
      await new Promise<void>((resolve) => (release = resolve));
      return false;
    });
    await assert.rejects(locator.locate(DEVICE, [CONTOSO]), /service down/);
    assert.equal(locator.peek(DEVICE), undefined);
    fail = false;
    const late = locator.locate(DEVICE, [CONTOSO]);
    await new Promise((resolve) => setImmediate(resolve));
    const heard: string[] = [];
    locator.onDidChange((id) => heard.push(id));
    locator.forget();
    release();
    assert.deepEqual(await late, { kind: 'noneOfYours' });
    assert.equal(locator.peek(DEVICE), undefined, 'an answer to a lookup from before forget() is not kept');
    assert.deepEqual(heard, []);
  });

  it('records what a claim learned and tells listeners, by upper-case device ID', () => {
    const locator = new ClaimLocator(async () => assert.fail('no lookup expected'));
    const heard: string[] = [];
    locator.onDidChange((id) => heard.push(id));
    locator.record(DEVICE, { kind: 'otherTenant' });
    assert.deepEqual(locator.peek(DEVICE.toUpperCase()), { kind: 'otherTenant' });
    locator.forget();
    assert.deepEqual(heard, [DEVICE.toUpperCase(), DEVICE.toUpperCase()]);
    assert.equal(locator.peek(DEVICE), undefined);
  });
});
