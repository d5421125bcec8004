// Writes a signed capability file to the board, as `azsphere device capability update` does: staged and installed
// like any image, after which the board restarts with its new capabilities. The file is checked first: it must be a
// capability file for this very board (the board would refuse another's, after a whole upload and no restart).
import { DeviceError } from '../device-error';
import { readCapabilityImage } from '../image-package';
import type { DeviceRestClient } from '../rest/device-rest-client';

export interface CapabilityUpdate {
  /** The capabilities the board reports after its restart. */
  readonly capabilities: number[];
  readonly restarted: boolean;
}

export type CapabilityPhase = 'staging' | 'installing' | 'restarting';

export async function applyCapabilityImage(
  client: DeviceRestClient,
  file: Buffer,
  options: { onPhase?: (phase: CapabilityPhase) => void; restartTimeoutMs?: number } = {},
): Promise<CapabilityUpdate> {
  const capability = readCapabilityImage(file, 'The capability file');
  const deviceId = (await client.getDeviceId()).toLowerCase();
  if (capability.deviceId.toLowerCase() !== deviceId) {
    throw new DeviceError('INVALID_INPUT', `The capability file is for device ${capability.deviceId.slice(0, 16)}…, not for this board (${deviceId.slice(0, 16)}…).`, { field: 'capabilityFile' });
  }
  options.onPhase?.('staging');
  await client.stageImage(file, file.length);
  options.onPhase?.('installing');
  const before = await client.statusBeforeReboot();
  const installedAt = Date.now();
  const { restartingSystem } = await client.installImages('Auto');
  if (restartingSystem) {
    options.onPhase?.('restarting');
    await client.waitForReboot(before, installedAt, { timeoutMs: options.restartTimeoutMs });
  }
  return { capabilities: await client.getCapabilities(), restarted: restartingSystem };
}
