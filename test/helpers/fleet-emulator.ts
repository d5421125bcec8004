// For the fleet tests of the cloud emulator: raw-body requests (image packages), following an Operation to its end,
// and the image packages a tenant is given (an app, a board configuration, a capability file), all from fixed IDs
// or a test's seed.
import * as assert from 'node:assert/strict';
import { request } from 'node:https';
import type { CloudEmulator } from '../../emulator/cloud/index';
import { writeCapabilityImage, writeImagePackage } from '../../emulator/common/image-package-writer';
import { ImageType } from '../../src/device/image-package/types';
import { appPackage } from './app-packages';
import { call, collectResult, type HttpResult } from './cloud-emulator';

export type Json = Record<string, unknown>;

/** One HTTPS request with raw bytes as its body (an image package upload); the answer also as bytes (a download). */
export function callRaw(emulator: CloudEmulator, path: string, opts: { method?: string; token?: string; body?: Buffer; headers?: Record<string, string> } = {}): Promise<HttpResult & { bytes: Buffer }> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream', ...opts.headers };
  if (opts.body) headers['content-length'] = String(opts.body.length);
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.url}${path}`, { method: opts.method ?? 'POST', headers, ca: emulator.caCertPem }, (res) => collectResult(res, resolve, reject));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Polls the Operation until it is no longer InProgress (State 1) and returns it as it ended. */
export async function operationEnd(emulator: CloudEmulator, token: string, operation: Json, timeoutMs = 10_000): Promise<Json> {
  const path = `/v2/tenants/${String(operation.TenantId)}/operations/${String(operation.OperationId)}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(emulator, path, { token });
    assert.equal(res.status, 200, res.text);
    const current = res.json as Json;
    if (current.State !== 1) return current;
    if (Date.now() > deadline) throw new Error(`operation ${String(operation.OperationId)} still in progress after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const COMPONENTS = {
  blink: '8548b129-b16f-4f84-8dbe-d2c847862e78',
  sensor: '25025d2c-66da-4448-bae1-ac26fcdd3627',
  board: '005180bc-402f-4cb3-a662-72937dbcde47',
} as const;

/** An application package of `componentId` with this image ID. */
export function appImage(componentId: string, imageId: string, name = 'SensorApp', seed?: number): Buffer {
  return appPackage(componentId, { imageId, name, appBytes: 4000, seed });
}

/** A board configuration image (type 21): a raw payload, no file system. */
export function boardConfigImage(imageId: string): Buffer {
  return writeImagePackage({ componentId: COMPONENTS.board, imageId, imageType: ImageType.customerBoardConfig, name: 'BoardConfig', buildDate: new Date('2024-03-01T00:00:00Z'), payload: Buffer.alloc(1024, 0x5a) });
}

/** A capability file (an image package of type 13, Firmware config): uploadable, never deployable. */
export function capabilityImage(deviceId: string): Buffer {
  return writeCapabilityImage({ deviceId, capabilities: [11] });
}
