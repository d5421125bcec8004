import * as assert from 'node:assert/strict';
import type { FleetScope } from '../../../src/cloud/backend/fleet-backend';
import { ClaimLocator, findClaimLocation } from '../../../src/cloud/claim-location';

const CONTOSO: FleetScope = { id: 'c0', name: 'Contoso', kind: 'legacy', tenantId: 'c0', roles: ['Administrator'] };
const FLEET: FleetScope = { id: 'f1', name: 'Fleet', kind: 'legacy', tenantId: 'f1', roles: ['Contributor'] };
const CATALOG_ID = '/subscriptions/5b/resourceGroups/sphere-catalogs/providers/Microsoft.AzureSphere/catalogs';
/** Integrated from Contoso: the same fleet. */
const CONTOSO_CATALOG: FleetScope = { id: `${CATALOG_ID}/contoso-catalog`, name: 'contoso-catalog', kind: 'catalog', tenantId: 'C0', subscriptionId: '5b', resourceGroup: 'sphere-catalogs' };
/** A catalog with a tenant of its own, which the user sees only over ARM. */
const LAB: FleetScope = { id: `${CATALOG_ID}/contoso-lab`, name: 'contoso-lab', kind: 'catalog', tenantId: 'a1', subscriptionId: '5b', resourceGroup: 'sphere-catalogs' };
const DEVICE = 'ab'.repeat(64);

describe('cloud/ClaimLocator: the one cache of claim locations', () => {
  it('answers as data, asks the target tenant first, and shares one lookup between askers', async () => {
    const asked: string[] = [];
    const locator = new ClaimLocator(async (scope) => {
      asked.push(scope.id);
      return scope.id === FLEET.id;
    });
    const [a, b] = await Promise.all([locator.locate(DEVICE, [CONTOSO, FLEET], FLEET.id), locator.locate(DEVICE.toUpperCase(), [CONTOSO, FLEET])]);
    assert.deepEqual(a, { kind: 'tenant', tenant: { Id: 'f1', Name: 'Fleet' }, scope: FLEET });
    assert.equal(a, b);
    assert.deepEqual(asked, [FLEET.id], 'one request: the target tenant first, the second asker shares it');
    assert.deepEqual(locator.peek(DEVICE), a);
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

describe('cloud/findClaimLocation: tenants and catalogs', () => {
  const scopes = [CONTOSO, FLEET, CONTOSO_CATALOG, LAB];

  it('finds a device in a catalog of its own, naming the catalog, after asking each tenant once', async () => {
    const asked: string[] = [];
    const where = await findClaimLocation(DEVICE, scopes, async (scope) => {
      asked.push(scope.name);
      return scope.id === LAB.id;
    });
    assert.deepEqual(where, { kind: 'tenant', tenant: { Id: 'a1', Name: 'contoso-lab' }, scope: LAB, catalog: LAB });
    assert.deepEqual(asked, ['Contoso', 'Fleet', 'contoso-lab'], 'a catalog integrated from a listed tenant is not asked: its tenant was');
  });

  it('a device in a tenant names the catalog integrated from it; targeting that catalog asks its tenant first', async () => {
    const asked: string[] = [];
    const where = await findClaimLocation(
      DEVICE,
      scopes,
      async (scope) => {
        asked.push(scope.name);
        return scope.id === CONTOSO.id;
      },
      CONTOSO_CATALOG.id,
    );
    assert.deepEqual(where, { kind: 'tenant', tenant: { Id: 'c0', Name: 'Contoso' }, scope: CONTOSO, catalog: CONTOSO_CATALOG });
    assert.deepEqual(asked, ['Contoso']);
  });

  it('a catalog whose tenant the user does not hold is asked itself; none of them: none of yours', async () => {
    const asked: string[] = [];
    assert.deepEqual(
      await findClaimLocation(DEVICE, [FLEET, CONTOSO_CATALOG, LAB], async (scope) => (asked.push(scope.name), false), LAB.id),
      { kind: 'noneOfYours' },
    );
    assert.deepEqual(asked, ['contoso-lab', 'Fleet', 'contoso-catalog']);
  });
});
