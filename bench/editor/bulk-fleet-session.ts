// What the editor benchmarks start from: the extension active in this extension host, the local cloud emulator with
// 10,000 devices in Contoso Fleet (50 device groups of one product), Avery signed in with a device code and Contoso
// Fleet selected. `run` gets the extension's API and the emulator; the emulator is closed afterwards, whatever happens.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { emulatedCloud, type EmulatedCloud } from '../../test/integration/person';

export interface BenchApi {
  renderView(viewId: string, depth?: number, under?: string): Promise<string[]>;
}

export async function withBulkFleetSignedIn(run: (api: BenchApi, cloud: EmulatedCloud) => Promise<void>): Promise<void> {
  const ext = vscode.extensions.getExtension<BenchApi>('sphere-explorer.sphere-explorer')!;
  const api = await ext.activate();
  const cloud = await emulatedCloud({ bulkDevices: 10_000 });
  try {
    cloud.person.willApproveAs(SEED.users.avery.email);
    await vscode.commands.executeCommand('sphereExplorer.signInWithDeviceCode');
    cloud.person.willPick(SEED.tenants.contosoFleet.name);
    await vscode.commands.executeCommand('sphereExplorer.selectTenant');
    await run(api, cloud);
  } finally {
    await cloud.close();
  }
}

/** The file the figures go to (SPHERE_BENCH_OUT). */
export function benchOutput(): string {
  const out = process.env.SPHERE_BENCH_OUT;
  if (!out) throw new Error('SPHERE_BENCH_OUT is not set');
  return out;
}

// A full collection before each heap reading, so a figure is what the views keep, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** heapUsed after two full collections. */
export function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
