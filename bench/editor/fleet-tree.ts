// Runs inside the extension host (as an extensionTestsPath): the seeded Contoso Fleet tenant with 10,000 devices in
// 50 device groups of one product, in the local cloud emulator. Measures, in this one run: the first page of each
// level of the fleet tree (products, a product's groups, a group's devices), each read cold; walking all 10,000
// devices through the tree; the same 10,000 listed by the API client alone (the same group pages, no tree); and the
// heap the shown devices hold. Writes its figures to the file named by SPHERE_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { HttpsTransport } from '../../src/cloud/https-transport';
import { SphereApiClient } from '../../src/cloud/sphere-api-client';
import { GROUP_DEVICE_PAGE_SIZE } from '../../src/fleet/fleet-model';
import { tokenFor } from '../../test/helpers/cloud-emulator';
import { benchOutput, settledHeap, withBulkFleetSignedIn } from './bulk-fleet-session';


const VIEW = 'sphereExplorer.accounts';
const FLEET = SEED.tenants.contosoFleet.id;
const PRODUCT = SEED.bulkFleet.product.id;
const devicesIn = (lines: string[]) => lines.filter((l) => l.includes('$(circuit-board)')).length;


async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await run();
  return [value, performance.now() - started];
}

export async function run(): Promise<void> {
  const out = benchOutput();
  await withBulkFleetSignedIn(async (api, cloud) => {
    await api.renderView(VIEW, 3); // account, tenants, and each tenant's Users / Products / Images nodes

    // The first page of each level, read cold (nothing of the fleet read before).
    const [, productsMs] = await timed(() => api.renderView(VIEW, 1, `tenant:${FLEET}/products`));
    const [groupRows, groupsMs] = await timed(() => api.renderView(VIEW, 1, `tenant:${FLEET}/product:${PRODUCT}`));
    // Rows drawn with their count (the rest say "counting…" and are drawn again when theirs arrives).
    const groupsCounted = groupRows.filter((l) => /\$\(server-environment\) .* — [\d,]+ devices? ·/.test(l)).length;
    const firstGroup = `tenant:${FLEET}/product:${PRODUCT}/group:${SEED.bulkFleet.groupId(0)}`;
    const [groupLines, devicesMs] = await timed(() => api.renderView(VIEW, 1, firstGroup));

    // The API client alone: the same 50 groups' devices, page by page, with the same page size.
    const token = await tokenFor(cloud.emu, SEED.users.avery.email);
    // One token for the whole run, as the extension's engine serves it from its cache.
    const cachedClient = new SphereApiClient({
      settings: { apiEndpoint: `${cloud.emu.url}/v2/` },
      tokens: { getAccessToken: async () => ({ token, expiresOn: new Date(Date.now() + 3600_000) }) } as never,
      transport: new HttpsTransport({ extraCaPem: cloud.emu.caCertPem }),
    });
    const [apiCount, apiMs] = await timed(async () => {
      let n = 0;
      for (let i = 0; i < SEED.bulkFleet.groupCount; i++) {
        for await (const page of cachedClient.listDevicesInGroupPages(FLEET, SEED.bulkFleet.groupId(i), { maxPageSize: GROUP_DEVICE_PAGE_SIZE })) n += page.items.length;
      }
      return n;
    });

    // Walking all 10,000 through the tree, cold: every group expanded, every device row drawn.
    await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
    await api.renderView(VIEW, 3);
    const heapBefore = settledHeap();
    const [walked, walkMs] = await timed(() => api.renderView(VIEW, 3, `tenant:${FLEET}/products`));
    const walkedDevices = devicesIn(walked);
    walked.length = 0; // the text is the benchmark's, not something the tree keeps
    const heapAfter = settledHeap();

    writeFileSync(
      out,
      JSON.stringify({
        productsMs,
        groupsCounted,
        groupsShown: groupRows.length,
        groupsMs,
        devicesMs,
        devicesOnFirstPage: devicesIn(groupLines),
        apiMs,
        apiCount,
        walkMs,
        walkedDevices,
        heapBytes: heapAfter - heapBefore,
      }),
    );
  });
}
