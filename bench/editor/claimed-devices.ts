// Runs inside the extension host (as an extensionTestsPath): a tenant with 10,000 claimed devices in the local
// cloud emulator; measures the time until the Devices view shows the first page, and what pages cost in memory.
// Writes its figures to the file named by SPHERE_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { benchOutput, withBulkFleetSignedIn } from './bulk-fleet-session';

/** Device lines under the "Claimed in" group. */
const claimedDevices = (lines: string[]) => lines.slice(lines.findIndex((l) => l.startsWith('$(cloud) Claimed in'))).filter((l) => l.includes('$(circuit-board)'));


export async function run(): Promise<void> {
  const out = benchOutput();
  await withBulkFleetSignedIn(async (api) => {

    const heapBefore = process.memoryUsage().heapUsed;
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
    const heapAllBytes = process.memoryUsage().heapUsed - heapBefore;

    writeFileSync(
      out,
      JSON.stringify({ firstPageMs, shownOnFirstPage: shown, allPagesMs, devicesShown: total, heapAllBytes }),
    );
  });
}

