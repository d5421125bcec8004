// The AzureIoT sample for a simulated board, configured for one hub link and written where the extension keeps its
// files, ready for the ordinary deploy flow (which asks for development mode if the board lacks it). Offered only for
// simulated boards: see emulator/board/azure-iot-sample-app.ts for why a real board cannot run it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { azureIotSamplePackage } from '../../emulator/board/azure-iot-sample-app';
import type { IotManifestSettings } from '../cloud/iot/app-manifest-settings';

export async function writeIotSamplePackage(dir: string, settings: IotManifestSettings): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'AzureIoTSample.imagepackage');
  await writeFile(file, azureIotSamplePackage(settings, new Date()));
  return file;
}
