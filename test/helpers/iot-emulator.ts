// Shared by the emulated IoT hub / DPS tests: device CAs and device certificates minted in-process (EC P-256, as
// Azure Sphere's device certificates are), proof of possession of a CA on a hub or DPS through the emulator's ARM
// endpoints, the hubs' service keys from ARM listkeys, and SAS-signed calls to a hub's or DPS's own host.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { seededRandom } from '../../emulator/common/seeded-random';
import { generateP256KeyPair, issueCertificate } from '../../emulator/common/x509';
import type { CloudEmulator } from '../../emulator/cloud/index';
import { signSas } from '../../emulator/cloud/iot/sas-token';
import { call, collectResult, type HttpResult, type RequestOptions } from './cloud-emulator';

const DAY_MS = 24 * 3600 * 1000;

export interface DeviceCa {
  certPem: string;
  key: KeyObject;
}

export interface DeviceCredential {
  /** The leaf alone. */
  certPem: string;
  /** Leaf, then the CAs above it that the device presents (as IoT Hub asks for the full chain). */
  chainPem: string;
  keyPem: string;
}

/** A hub or DPS of the seed, as SEED.hubs names them. */
export interface SeededHub {
  subscriptionId: string;
  resourceGroup: string;
  kind: 'IotHubs' | 'provisioningServices';
  name: string;
}

/** A self-signed EC P-256 CA, or one issued by `parent` (an intermediate such as a tenant CA). */
export function makeDeviceCa(commonName: string, parent?: DeviceCa): DeviceCa {
  const { privateKey, publicKey } = generateP256KeyPair();
  const now = Date.now();
  const certPem = issueCertificate({
    subject: { O: 'Sphere Explorer tests', CN: commonName },
    publicKey,
    ...(parent ? { issuerCertificatePem: parent.certPem } : {}),
    signingKey: parent?.key ?? privateKey,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 3650 * DAY_MS),
    isCa: true,
  });
  return { certPem, key: privateKey };
}

/**
 * A device certificate with subject CN = `commonName` issued by `ca`, valid from a day ago for `validDays`; the
 * chain holds `ca` and the certificates in `above` (its issuers, nearest first).
 */
export function issueDeviceCredential(ca: DeviceCa, commonName: string, opts: { validDays?: number; above?: string[] } = {}): DeviceCredential {
  const { privateKey, publicKey } = generateP256KeyPair();
  const now = Date.now();
  const certPem = issueCertificate({
    subject: { CN: commonName },
    publicKey,
    issuerCertificatePem: ca.certPem,
    signingKey: ca.key,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + (opts.validDays ?? 365) * DAY_MS),
    isCa: false,
    extendedKeyUsage: ['clientAuth'],
  });
  return { certPem, chainPem: [certPem, ca.certPem, ...(opts.above ?? [])].join(''), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** `count` lower-case 128-hex device IDs drawn from `seed` (what an Azure Sphere device certificate's CN holds). */
export function seededDeviceIds(seed: number, count: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: 128 }, () => Math.floor(random() * 16).toString(16)).join(''));
}

export function armPath(hub: SeededHub): string {
  return `/subscriptions/${hub.subscriptionId}/resourceGroups/${hub.resourceGroup}/providers/Microsoft.Devices/${hub.kind}/${hub.name}`;
}

const ARM_VERSION = '?api-version=2023-06-30';

export function arm(emulator: CloudEmulator, armToken: string, path: string, opts: RequestOptions = {}): Promise<HttpResult> {
  return call(emulator, `${path}${ARM_VERSION}`, { ...opts, token: armToken });
}

/** Uploads `ca` to the hub or DPS as `name`; with `verify`, proves possession of its key as a person would. */
export async function uploadCa(emulator: CloudEmulator, armToken: string, hub: SeededHub, name: string, ca: DeviceCa, verify = true): Promise<void> {
  const base = `${armPath(hub)}/certificates/${name}`;
  const uploaded = await arm(emulator, armToken, base, { method: 'PUT', body: { properties: { certificate: ca.certPem } } });
  assert.equal(uploaded.status, 201, uploaded.text);
  if (!verify) return;
  const generated = await arm(emulator, armToken, `${base}/generateVerificationCode`, { method: 'POST', headers: { 'If-Match': (uploaded.json as { etag: string }).etag } });
  assert.equal(generated.status, 200, generated.text);
  const { etag, properties } = generated.json as { etag: string; properties: { verificationCode: string } };
  const proof = issueDeviceCredential(ca, properties.verificationCode, { validDays: 1 });
  const verified = await arm(emulator, armToken, `${base}/verify`, { method: 'POST', headers: { 'If-Match': etag }, body: { certificate: proof.certPem } });
  assert.equal(verified.status, 200, verified.text);
}

/** The primary key of the hub's (or DPS's) shared access policy `keyName`, from ARM listkeys. */
export async function policyKey(emulator: CloudEmulator, armToken: string, hub: SeededHub, keyName: string): Promise<string> {
  const res = await arm(emulator, armToken, `${armPath(hub)}/listkeys`, { method: 'POST' });
  assert.equal(res.status, 200, res.text);
  const policy = (res.json as { value: { keyName: string; primaryKey: string }[] }).value.find((p) => p.keyName === keyName);
  assert.ok(policy, `no policy ${keyName}`);
  return policy.primaryKey;
}

/** A service SAS for `hostName`, valid for an hour (or until `expirySec`). */
export function serviceSas(hostName: string, keyName: string, key: string, expirySec = Math.floor(Date.now() / 1000) + 3600): string {
  return signSas(hostName, key, expirySec, keyName);
}

/** One HTTPS request to a hub's or DPS's own host (`127.0.0.1:<port>`), trusting only the emulator's CA. */
export function callHost(emulator: CloudEmulator, hostName: string, path: string, sas: string | undefined, opts: RequestOptions = {}): Promise<HttpResult> {
  return call({ url: `https://${hostName}`, caCertPem: emulator.caCertPem }, path, { ...opts, headers: { ...(sas ? { authorization: sas } : {}), ...(opts.headers ?? {}) } });
}

export type StreamEvent = { event: string; data: Json };
type Json = Record<string, unknown>;

export interface TelemetryReader {
  readonly events: StreamEvent[];
  /** The first event (seen or yet to come) that `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (e: StreamEvent) => boolean, timeoutMs?: number): Promise<StreamEvent>;
  close(): void;
}

/** Reads a hub's emulator-only telemetry stream (`GET /$emulator/telemetry`), server-sent events parsed as they come. */
export function openTelemetryStream(emulator: CloudEmulator, hostName: string, sas: string, deviceId?: string): Promise<TelemetryReader> {
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  return new Promise((resolve, reject) => {
    const path = `/$emulator/telemetry${deviceId ? `?deviceId=${encodeURIComponent(deviceId)}` : ''}`;
    const req = httpsRequest(`https://${hostName}${path}`, { headers: { authorization: sas }, ca: emulator.caCertPem }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`telemetry stream: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) as Json });
          for (const wake of waiters) wake();
        }
      });
      resolve({
        events,
        waitFor: (match, timeoutMs = 10_000) =>
          new Promise((found, fail) => {
            const check = (): void => {
              const hit = events.find(match);
              if (!hit) return;
              waiters.delete(check);
              clearTimeout(timer);
              found(hit);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching telemetry event within ${timeoutMs} ms; saw ${JSON.stringify(events)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
    req.end();
  });
}

/** A request to a hub's or the provisioning endpoint's host that presents a device's certificate chain. */
export function deviceCall(emulator: CloudEmulator, hostName: string, path: string, credential: DeviceCredential, opts: { method?: string; body?: object } = {}): Promise<HttpResult> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `https://${hostName}${path}`,
      {
        method: opts.method ?? 'GET',
        cert: credential.chainPem,
        key: credential.keyPem,
        ca: emulator.caCertPem,
        agent: false,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
      },
      (res) => collectResult(res, resolve, reject),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Registers over HTTPS as a device does: PUT register, then GET the operation until it is no longer assigning. */
export async function registerOverHttps(emulator: CloudEmulator, idScope: string, registrationId: string, credential: DeviceCredential): Promise<Json> {
  const base = `/${idScope}/registrations/${registrationId}`;
  const started = await deviceCall(emulator, emulator.provisioningHost, `${base}/register?api-version=2021-06-01`, credential, { method: 'PUT', body: { registrationId } });
  assert.equal(started.status, 202, started.text);
  const { operationId } = started.json as { operationId: string };
  const polled = await deviceCall(emulator, emulator.provisioningHost, `${base}/operations/${encodeURIComponent(operationId)}?api-version=2021-06-01`, credential);
  assert.equal(polled.status, 200, polled.text);
  return polled.json as Json;
}

/** The provisioning SDK's RegistrationResult (assignedHub, deviceId, …) or its error, from a child process (see dps-register-child.ts). */
export async function registerWithSdk(emulator: CloudEmulator, idScope: string, registrationId: string, credential: DeviceCredential): Promise<{ result?: Json; error?: { name: string; message: string } }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'dps-register-child.ts')], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: emulator.caCertPath },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end(JSON.stringify({ host: emulator.provisioningHost, idScope, registrationId, cert: credential.chainPem, key: credential.keyPem }));
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 0, `the provisioning child failed: ${err}`);
  return JSON.parse(out) as { result?: Json; error?: { name: string; message: string } };
}
