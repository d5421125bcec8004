// The scale seed: `bulkDevices: 10000` puts 10,000 devices in Contoso Fleet and spreads them round-robin over the
// 50 device groups of its product "Contoso Sensor" — three journal records for the claims and their placement, not
// 10,000 — and every group lists its 200 devices page by page, kept across a restart without writing them again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCloudEmulator, type CloudEmulator } from '../../../emulator/cloud/index';
import { call, removeDir, seededStateDir, tokenFor } from '../../helpers/cloud-emulator';
import type { Json } from '../../helpers/fleet-emulator';

const DEVICES = 10_000;
const GROUPS = 50;

describe('cloud emulator: 10,000 devices in 50 device groups', function () {
  this.timeout(120_000);
  let stateDir: string;
  let emulator: CloudEmulator;
  let token: string;
  let tenantId: string;

  before(async () => {
    stateDir = await seededStateDir();
    emulator = await startCloudEmulator({ port: 0, stateDir, seed: true, bulkDevices: DEVICES });
    token = await tokenFor(emulator, 'avery@contoso.com');
    tenantId = emulator.seed.tenants.contosoFleet.id;
  });
  after(async () => {
    await emulator?.close();
    removeDir(stateDir);
  });

  const get = async <T>(path: string, continuation?: string): Promise<T> => {
    const res = await call(emulator, `/v2/tenants/${tenantId}${path}`, { token, headers: continuation ? { 'Sphere-Continuation': continuation } : {} });
    assert.equal(res.status, 200, res.text);
    return res.json as T;
  };

  it('journals the bulk placement as one record', () => {
    const records = readFileSync(join(stateDir, 'journal.log'), 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l.slice(9)) as Json);
    assert.equal(records.filter((r) => r.t === 'bulkClaim').length, 1);
    assert.equal(records.filter((r) => r.t === 'bulkPlacement').length, 1);
    assert.equal(records.filter((r) => r.t === 'deviceMove').length, 0);
    assert.deepEqual(
      records.filter((r) => r.t === 'bulkPlacement').map((r) => [r.from, r.count, (r.groupIds as string[]).length]),
      [[0, DEVICES, GROUPS]],
    );
  });

  it('counts and lists every group’s devices page by page: 200 each, each device once, in its own group', async () => {
    const product = emulator.seed.bulkFleet.product;
    assert.equal(await get<number>('/devices/count'), DEVICES);
    assert.equal(await get<number>(`/products/${product.id}/devices/count`), DEVICES);
    const groups = (await get<{ Items: Json[] }>(`/products/${product.id}/deviceGroups`)).Items;
    assert.equal(groups.length, GROUPS);
    assert.deepEqual(groups.map((g) => g.Name).slice(0, 3), ['Site 01', 'Site 02', 'Site 03']);
    const seen = new Set<string>();
    for (const group of groups) {
      assert.equal(await get<number>(`/devicegroups/${String(group.Id)}/devices/count`), DEVICES / GROUPS);
      let continuation: string | undefined;
      let pages = 0;
      do {
        const page = await get<{ Items: Json[]; ContinuationToken: string | null }>(`/devicegroups/${String(group.Id)}/devices?maxPageSize=64`, continuation);
        pages++;
        for (const d of page.Items) {
          assert.equal(d.DeviceGroupId, group.Id);
          assert.equal(d.ProductId, product.id);
          assert.ok(!seen.has(String(d.DeviceId)), 'no device twice');
          seen.add(String(d.DeviceId));
        }
        continuation = page.ContinuationToken ?? undefined;
      } while (continuation);
      assert.equal(pages, Math.ceil(DEVICES / GROUPS / 64));
    }
    assert.equal(seen.size, DEVICES);
  });

  it('keeps the placement across a restart without writing it again', async () => {
    const before = readFileSync(join(stateDir, 'journal.log'), 'utf8').length;
    await emulator.close();
    emulator = await startCloudEmulator({ port: 0, stateDir, seed: true, bulkDevices: DEVICES });
    token = await tokenFor(emulator, 'avery@contoso.com');
    const journal = readFileSync(join(stateDir, 'journal.log'), 'utf8');
    assert.ok(!journal.slice(before).includes('"t":"bulk'), 'nothing bulk written again');
    const group = emulator.seed.bulkFleet.groupId(GROUPS - 1);
    assert.equal(await get<number>(`/devicegroups/${group}/devices/count`), DEVICES / GROUPS);
  });
});
