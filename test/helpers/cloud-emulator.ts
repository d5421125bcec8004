// Shared by the cloud emulator tests: a real emulator in a temporary state directory, and a plain HTTPS client that
// trusts only the emulator's CA (no TLS checks turned off).
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestTokenByDeviceCode, startCloudEmulator, type CloudEmulator, type CloudEmulatorOptions } from '../../emulator/cloud/index';

export const SPHERE_SCOPE = 'https://sphere.azure.net/api/user_impersonation offline_access openid profile';
export const ARM_SCOPE = 'https://management.azure.com/user_impersonation offline_access openid profile';

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'cloud-emu-test-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

// Seeding generates several RSA keys (TLS, token signing, three tenant CAs); do it once per test run and give each
// test file its own copy of the seeded state directory.
let seededTemplate: Promise<string> | undefined;

function seededTemplateDir(): Promise<string> {
  seededTemplate ??= (async () => {
    const dir = tempStateDir();
    const emulator = await startCloudEmulator({ port: 0, stateDir: dir, seed: true });
    await emulator.close();
    process.once('exit', () => removeDir(dir));
    return dir;
  })();
  return seededTemplate;
}

export async function seededStateDir(): Promise<string> {
  const stateDir = tempStateDir();
  cpSync(await seededTemplateDir(), stateDir, { recursive: true });
  return stateDir;
}

export async function startSeeded(extra: Partial<CloudEmulatorOptions> = {}): Promise<{ emulator: CloudEmulator; stateDir: string }> {
  const stateDir = await seededStateDir();
  const emulator = await startCloudEmulator({ port: 0, stateDir, seed: true, ...extra });
  return { emulator, stateDir };
}

/** For one describe(): a seeded emulator, started before its tests and closed (its state removed) after them. */
export function seededEmulatorPerSuite(extra: Partial<CloudEmulatorOptions> = {}): { readonly emulator: CloudEmulator } {
  let started: { emulator: CloudEmulator; stateDir: string } | undefined;
  before(async () => {
    started = await startSeeded(extra);
  });
  after(async () => {
    await started?.emulator.close();
    if (started) removeDir(started.stateDir);
  });
  return {
    get emulator() {
      if (!started) throw new Error('the suite emulator is started in before()');
      return started.emulator;
    },
  };
}

/** Reads a whole response: its text, and the JSON in it when there is any (with the bytes, for binary bodies). */
export function collectResult(res: IncomingMessage, resolve: (result: HttpResult & { bytes: Buffer }) => void, reject: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => {
    const bytes = Buffer.concat(chunks);
    const text = bytes.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, bytes });
  });
  res.on('error', reject);
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | object;
  token?: string;
  agent?: Agent;
}

/** One HTTPS request to the emulator with its CA as the only trust anchor. */
export function call(emulator: { url: string; caCertPem: string }, path: string, opts: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  let payload: string | undefined;
  if (opts.body !== undefined) {
    payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= typeof opts.body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.url}${path}`, { method: opts.method ?? 'GET', headers, ca: emulator.caCertPem, agent: opts.agent }, (res) => collectResult(res, resolve, reject));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function tokenFor(emulator: CloudEmulator, loginHint: string, scope = SPHERE_SCOPE, directory = 'organizations'): Promise<string> {
  const body = await requestTokenByDeviceCode(emulator, { loginHint, scope, directory });
  return String(body.access_token);
}

/** One access token per user, for the tests that act as several people. */
export async function tokensFor(emulator: CloudEmulator, users: readonly string[], scope = SPHERE_SCOPE): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const user of users) tokens[user] = await tokenFor(emulator, user, scope);
  return tokens;
}

/** The security service's error shape, exactly: `{Code, Message}` with this code (and a message matching `message`). */
export function assertApiError(res: { status: number; json: unknown; text: string }, status: number, code: number, message?: RegExp): void {
  assert.equal(res.status, status, res.text);
  const body = res.json as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['Code', 'Message']);
  assert.equal(body.Code, code);
  if (message) assert.match(String(body.Message), message);
}

export function deviceId(seed: number): string {
  return seed.toString(16).toUpperCase().padStart(8, '0').repeat(16);
}
