// Runs inside the extension host (as an extensionTestsPath): the seeded Contoso Fleet tenant with 10,000 devices in
// 50 device groups of one product, reached two ways in one run — as the legacy tenant (security service) and as
// contoso-fleet-catalog, the catalog it is integrated as (Azure Resource Manager, each page of 100 as the spec has it).
// Measures, for each: the first page of each level of the fleet tree, read cold; walking all 10,000 devices through
// the tree; and, for the catalog, the same 10,000 listed by the ARM client alone (the same group pages, no tree).
// Writes its figures to the file named by SPHERE_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { ArmSphereClient } from '../../src/cloud/arm-sphere';
import { HttpsTransport } from '../../src/cloud/https-transport';
import { groupNodeId, productNodeId, productsNodeId } from '../../src/tree/accounts/fleet-nodes';
import { ARM_SCOPE, tokenFor } from '../../test/helpers/cloud-emulator';
import { benchOutput, withBulkFleetSignedIn, type BenchApi } from './bulk-fleet-session';

const VIEW = 'sphereExplorer.accounts';
const { subscriptionId, resourceGroup } = SEED.catalogs;
const CATALOG_ID = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${SEED.bulkFleet.catalogName}`;
const devicesIn = (lines: string[]) => lines.filter((l) => l.includes('$(circuit-board)')).length;

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

/** One scope's figures: the first page of each level (cold), then the walk through every device (cold). */
async function treeFigures(api: BenchApi, scope: { id: string; kind: 'legacy' | 'catalog' }, productId: string, firstGroupId: string) {
  await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
  await api.renderView(VIEW, 3);
  const [, productsMs] = await timed(() => api.renderView(VIEW, 1, productsNodeId(scope)));
  const [groupRows, groupsMs] = await timed(() => api.renderView(VIEW, 1, productNodeId(scope, productId)));
  const [groupLines, devicesMs] = await timed(() => api.renderView(VIEW, 1, groupNodeId(scope, productId, firstGroupId)));
  await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
  await api.renderView(VIEW, 3);
  const [walked, walkMs] = await timed(() => api.renderView(VIEW, 3, productsNodeId(scope)));
  return { productsMs, groupsMs, groupsShown: groupRows.length, devicesMs, devicesOnFirstPage: devicesIn(groupLines), walkMs, walkedDevices: devicesIn(walked) };
}

export async function run(): Promise<void> {
  const out = benchOutput();
  await withBulkFleetSignedIn(async (api, cloud) => {
    const legacy = await treeFigures(api, { id: SEED.tenants.contosoFleet.id, kind: 'legacy' }, SEED.bulkFleet.product.id, SEED.bulkFleet.groupId(0));
    const productId = `${CATALOG_ID}/products/${SEED.bulkFleet.product.name}`;
    const catalog = await treeFigures(api, { id: CATALOG_ID, kind: 'catalog' }, productId, `${productId}/deviceGroups/${SEED.bulkFleet.groupName(0)}`);

    // The ARM client alone: the same 50 groups' devices, page by page, with one token for the run.
    const token = await tokenFor(cloud.emu, SEED.users.avery.email, ARM_SCOPE);
    const arm = new ArmSphereClient({
      settings: { armEndpoint: `${cloud.emu.url}/` },
      tokens: { getAccessToken: async () => ({ token, expiresOn: new Date(Date.now() + 3600_000) }) } as never,
      transport: new HttpsTransport({ extraCaPem: cloud.emu.caCertPem }),
    });
    const ref = { subscriptionId, resourceGroup, catalogName: SEED.bulkFleet.catalogName, productName: SEED.bulkFleet.product.name };
    const [apiCount, apiMs] = await timed(async () => {
      let n = 0;
      for (let i = 0; i < SEED.bulkFleet.groupCount; i++) {
        for await (const page of arm.listDevicePages({ ...ref, deviceGroupName: SEED.bulkFleet.groupName(i) })) n += page.items.length;
      }
      return n;
    });
    writeFileSync(out, JSON.stringify({ legacy, catalog, apiMs, apiCount }));
  });
}
