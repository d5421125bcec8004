// Sideloading steps the simulator's app and sideload tests share: packages to deploy, and stage/install as
// `azsphere device sideload deploy` does them (PUT /update/stage, then POST /update/install).
import * as assert from 'node:assert/strict';
import type { SimulatedBoard } from '../../../emulator/board';
import { writeCapabilityImage } from '../../../emulator/common/image-package-writer';
import { callBoard, get, waitFor } from '../../helpers/board-fixture';
import type { RestReply } from '../../helpers/rest-client';

export const BLINK_CID = '2f074b0f-d99d-4692-82d9-ef93a7d6463c';
export const STORAGE_CID = 'ae4714aa-03aa-492b-9663-962f966a9cc3';
export const GDBSERVER_CID = '8548b129-b16f-4f84-8dbe-d2c847862e78';
export { appPackage, productionPackage, PRODUCTION_THUMBPRINT } from '../../helpers/app-packages';

export const stage = (board: SimulatedBoard, image: Buffer): Promise<RestReply> =>
  callBoard(board, { method: 'PUT', path: '/update/stage', body: image, headers: { 'Content-Type': 'application/octet-stream' } });

export const install = (board: SimulatedBoard, mode?: 'Auto' | 'Manual'): Promise<RestReply> =>
  callBoard(board, { method: 'POST', path: '/update/install', ...(mode && { body: { appControlMode: mode } }) });

/** Stage and install, both answered 200; returns the install's answer. */
export async function deploy(board: SimulatedBoard, image: Buffer, mode?: 'Auto' | 'Manual'): Promise<RestReply> {
  const staged = await stage(board, image);
  assert.equal(staged.status, 200, `stage answered ${staged.status} ${staged.raw}`);
  const installed = await install(board, mode);
  assert.equal(installed.status, 200, `install answered ${installed.status} ${installed.raw}`);
  return installed;
}

export async function appState(board: SimulatedBoard, componentId: string): Promise<string> {
  const reply = await get(board, `/app/status/${componentId}`);
  assert.equal(reply.status, 200);
  return (reply.body as { state: string }).state;
}

export const setAppState = (board: SimulatedBoard, componentId: string, trigger: string): Promise<RestReply> =>
  callBoard(board, { method: 'PATCH', path: `/app/status/${componentId}`, body: { trigger } });

export interface ImagesComponent {
  uid: string;
  image_type: number;
  is_update_staged: boolean;
  name: string;
  images: { uid: string; length_in_bytes: number }[];
}

export async function images(board: SimulatedBoard): Promise<{ has_staged_updates: boolean; components: ImagesComponent[] }> {
  return (await get(board, '/images')).body as { has_staged_updates: boolean; components: ImagesComponent[] };
}

export async function capabilities(board: SimulatedBoard): Promise<number[]> {
  return ((await get(board, '/device/capabilities')).body as { device_capabilities: number[] }).device_capabilities;
}

/**
 * Installs a capability file for this board (as `azsphere device capability update` does): the board answers
 * `{"restartingSystem": true}` and reboots; resolves once it is back.
 */
export async function installCapabilities(board: SimulatedBoard, granted: number[], deviceId = board.deviceId): Promise<void> {
  const boots = board.counters().boots;
  const reply = await deploy(board, writeCapabilityImage({ deviceId, capabilities: granted }));
  assert.deepEqual(reply.body, { restartingSystem: true });
  await waitFor(() => (board.counters().boots > boots ? true : undefined), 'the reboot after installing capabilities');
}
