// Runs inside the extension host (as an extensionTestsPath): a tenant with 10,000 claimed devices in the local
// cloud emulator; measures the time until the Devices view shows the first page, walking every page through "Load
// more" against the API client alone listing the same devices with the same page size, and the heap the shown
// devices keep (after a full GC). Writes its figures to the file named by SPHERE_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { HttpsTransport } from '../../src/cloud/https-transport';
import { SphereApiClient } from '../../src/cloud/sphere-api-client';
import { DEVICE_PAGE_SIZE } from '../../src/tenants/device-pager';
import { tokenFor } from '../../test/helpers/cloud-emulator';
import { benchOutput, settledHeap, withBulkFleetSignedIn } from './bulk-fleet-session';

/** Device lines under the "Claimed in" group. */
const claimedDevices = (lines: string[]) => lines.slice(lines.findIndex((l) => l.startsWith('$(cloud) Claimed in'))).filter((l) => l.includes('$(circuit-board)'));


export async function run(): Promise<void> {
  const out = benchOutput();
  await withBulkFleetSignedIn(async (api, cloud) => {
    const heapBefore = settledHeap();
    const started = performance.now();
    const lines = await api.renderView('sphereExplorer.devices', 2);
    const firstPageMs = performance.now() - started;
    const shown = claimedDevices(lines).length;
    if (!lines.some((l) => l.includes('Load more'))) throw new Error(`no "Load more" after the first page:\n${lines.join('\n')}`);

    // Every page, clicked through "Load more" as a user would (the same command the node runs).
    const group = `claimed:${SEED.tenants.contosoFleet.id}`;
    const allStarted = performance.now();
    let total = shown;
    for (let clicks = 0; clicks < 200; clicks++) {
      await vscode.commands.executeCommand('sphereExplorer.internal.loadMoreClaimedDevices', group);
      const now = await api.renderView('sphereExplorer.devices', 2);
      total = claimedDevices(now).length;
      if (!now.some((l) => l.includes('Load more'))) break;
    }
    const allPagesMs = performance.now() - allStarted;
    const heapAllBytes = settledHeap() - heapBefore;

    // The API client alone: the same devices, the same page size, one token for the run.
    const token = await tokenFor(cloud.emu, SEED.users.avery.email);
    const client = new SphereApiClient({
      settings: { apiEndpoint: `${cloud.emu.url}/v2/` },
      tokens: { getAccessToken: async () => ({ token, expiresOn: new Date(Date.now() + 3600_000) }) } as never,
      transport: new HttpsTransport({ extraCaPem: cloud.emu.caCertPem }),
    });
    const apiStarted = performance.now();
    let apiCount = 0;
    for await (const page of client.listDevicePages(SEED.tenants.contosoFleet.id, { maxPageSize: DEVICE_PAGE_SIZE })) apiCount += page.items.length;
    const apiMs = performance.now() - apiStarted;

    writeFileSync(
      out,
      JSON.stringify({ firstPageMs, shownOnFirstPage: shown, allPagesMs, devicesShown: total, heapAllBytes, apiMs, apiCount }),
    );
  });
}

