// The local cloud emulator: one HTTPS server on 127.0.0.1 serving the identity authority (for msal-node), the
// Azure Sphere security service API (/v2) and the IoT Hub / DPS certificate endpoints (ARM /subscriptions); and each
// IoT hub and DPS as a server on a port of its own, with the global provisioning endpoint (iot/iot-endpoints.ts).
// State lives in `stateDir` (journal, token-signing key, TLS material, port) and survives kill -9.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ArmService } from './arm';
import { ArmSphereService } from './arm-sphere/sphere-service';
import { systemClock, type Clock } from '../common/clock';
import type { EmulatorContext } from './context';
import { DailyCertificateApi } from './daily-certificate-api';
import { DeviceUpdateApi } from './device-update-api';
import { FleetImageStore } from './fleet-image-store';
import { writeFileDurably } from './files';
import { BodyTooLargeError, jsonResponse, readBody, type EmuRequest, type EmuResponse } from './http';
import { IdentityService } from './identity';
import { startIotEndpoints, type IotEndpoints } from './iot/iot-endpoints';
import { JwtSigner } from './jwt';
import type { HubKind } from './model';
import { applySeed, ensureBulkDevices, SEED, type SeedInfo } from './seed';
import { SecurityApi } from './security-api';
import { RecoveryImagesService } from './recovery-images';
import { Store } from './store';
import { lockStateDir } from '../common/state-lock';
import { loadOrCreateTls, type TlsMaterial } from './tls';

export { SEED, type SeedInfo } from './seed';
export { SPHERE_API_AUDIENCE, ARM_AUDIENCE } from './scopes';
export { PERSONAL_ACCOUNT_DIRECTORY_ID } from './model';
export { requestTokenByDeviceCode, type TestTokenRequest } from './test-tokens';

/** The port the CLI uses when none is given and none was persisted (msal keys its cache by host:port). */
export const DEFAULT_EMULATOR_PORT = 48443;
/** Public client ID of the Azure Sphere CLI (docs/cloud-api.md#client-ids-scopes-and-audiences); the emulator accepts any GUID client ID. */
export const AZURE_SPHERE_CLIENT_ID = '0B1C8F7E-28D2-4378-97E2-7D7D63F7C87F';

export interface CloudEmulatorOptions {
  /** 0 = any free port (tests). Undefined = the port persisted in stateDir, else DEFAULT_EMULATOR_PORT. */
  port?: number;
  stateDir: string;
  seed?: boolean;
  /** Ensure the seeded "Contoso Fleet" tenant holds at least this many claimed devices (scale tests). */
  bulkDevices?: number;
  /** Allowed clock difference when verifying token nbf/exp/iat; default 300 s, as Azure AD validators use. */
  clockToleranceSec?: number;
  /** One line per request (method, path, status); never bodies, queries or tokens. */
  log?: (line: string) => void;
  /** The time device certificates are issued and attestation timestamps checked by (default: the system clock). */
  clock?: Clock;
  /** How long fleet Operations (products, groups, images, deployments) stay InProgress; default 300 ms, 0 = done within the request. */
  operationDelayMs?: number;
}

export interface CloudEmulatorTestHooks {
  /** The person at the browser for interactive sign-in (wins over login_hint); null clears it (sign-in page shows). */
  setInteractiveUser(loginHint: string | null): void;
  /** Approves a pending device code as this user; throws if the code or user is unknown. If the authority refuses
   *  the user (e.g. a personal account at /organizations), the client's next poll gets the AADSTS50020 error. */
  approveDeviceCode(userCode: string, loginHint: string): void;
  /** The next `count` requests whose path starts with `pathPrefix` (default '/v2/') get 429 + Retry-After. */
  throttleNext(count: number, retryAfterSec: number, pathPrefix?: string): void;
  /** expires_in / exp of access tokens issued from now on (default 3600 s). */
  setAccessTokenLifetime(seconds: number): void;
  /** Shifts iat/nbf/exp of tokens issued from now on, as if the authority's clock were off by this much. */
  setIssuedTokenClockOffset(seconds: number): void;
  /** How long a rotated refresh token may still be redeemed (default 60 s; 0 = strictly one use). */
  setRefreshTokenReuseGrace(seconds: number): void;
  /** Journal records written since start and in how many write+fsync rounds (group commit). */
  journalStats(): { records: number; flushes: number };
  /** How long fleet Operations started from now on stay InProgress (ms; 0 = they end within their request). */
  setOperationDelay(ms: number): void;
  /** Ends every running fleet Operation now, Complete or Failed as its work allows then (what a test did meanwhile counts). */
  settleOperations(): void;
}

export interface CloudEmulator {
  /** https://127.0.0.1:PORT — put `127.0.0.1:PORT` in msal's knownAuthorities. */
  url: string;
  port: number;
  caCertPem: string;
  caCertPath: string;
  authorityFor(directory: 'organizations' | 'common' | 'consumers' | string): string;
  seed: SeedInfo;
  /** `127.0.0.1:<port>` of the IoT hub `name`: its host name in ARM, for service clients and devices alike. Throws for an unknown hub. */
  hubHostName(name: string): string;
  /** `127.0.0.1:<port>` of the DPS `name`'s service API (ARM's serviceOperationsHostName). Throws for an unknown DPS. */
  provisioningServiceHostName(name: string): string;
  /** The global device provisioning endpoint, `127.0.0.1:<port>` (ARM's deviceProvisioningHostName for every DPS). */
  provisioningHost: string;
  /** The ID scope of the DPS `name` (stable; devices register with it on the provisioning endpoint). */
  idScope(dpsName: string): string;
  /** Every IoT hub's and DPS's host name by name, and every DPS's ID scope (the CLI's listening line). */
  iotHostNames(): { hubs: Record<string, string>; provisioningServices: Record<string, string>; idScopes: Record<string, string> };
  testHooks: CloudEmulatorTestHooks;
  close(): Promise<void>;
}

function readPersistedPort(stateDir: string): number | undefined {
  const path = join(stateDir, 'emulator.json');
  if (!existsSync(path)) return undefined;
  const value = (JSON.parse(readFileSync(path, 'utf8')) as { port?: unknown }).port;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : undefined;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The key of the IoT hub or DPS named `name` (names compared without case, as Azure's are). */
function iotHubKey(store: Store, kind: HubKind, name: string): string {
  const found = [...store.state.hubs.entries()].find(([, h]) => h.kind === kind && h.name.toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`the cloud emulator has no ${kind === 'IotHubs' ? 'IoT hub' : 'DPS'} named '${name}'`);
  return found[0];
}

function iotHost(store: Store, iot: IotEndpoints, kind: HubKind, name: string): string {
  const host = iot.hostName(iotHubKey(store, kind, name));
  if (!host) throw new Error(`the ${kind === 'IotHubs' ? 'IoT hub' : 'DPS'} '${name}' has no endpoint (it was added after the emulator started)`);
  return host;
}

function notFound(req: EmuRequest): EmuResponse {
  const message = `No ${req.method} ${req.path} in the cloud emulator.`;
  if (req.path.startsWith('/v2/')) return jsonResponse(404, { Code: 8, Message: message });
  if (req.path.toLowerCase().startsWith('/subscriptions')) return jsonResponse(404, { error: { code: 'NotFound', message } });
  return jsonResponse(404, { error: 'not_found', error_description: message });
}

export async function startCloudEmulator(opts: CloudEmulatorOptions): Promise<CloudEmulator> {
  const { stateDir } = opts;
  if (opts.port !== undefined && (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)) {
    throw new Error(`port must be an integer from 0 to 65535, not ${opts.port}`);
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const unlock = lockStateDir(stateDir, { fileName: 'emulator.lock', holder: 'cloud emulator' });
  let store: Store | undefined;
  let server: Server;
  let port: number;
  let tls: TlsMaterial;
  let signer: JwtSigner;
  let iot: IotEndpoints | undefined;
  try {
    tls = await loadOrCreateTls(stateDir);
    signer = await JwtSigner.loadOrCreate(stateDir);
    store = await Store.open(stateDir);
    if (opts.seed) await applySeed(store);
    if (opts.bulkDevices) await ensureBulkDevices(store, opts.bulkDevices);
    // Each IoT hub and DPS on a port of its own, plus the global provisioning endpoint (iot/iot-endpoints.ts).
    iot = await startIotEndpoints({ stateDir, store, tls, clock: opts.clock ?? systemClock, dynamicPorts: opts.port === 0, log: opts.log });
    server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem, keepAlive: true });
    port = await listen(server, opts.port ?? readPersistedPort(stateDir) ?? DEFAULT_EMULATOR_PORT);
  } catch (err) {
    await iot?.close();
    await store?.close();
    unlock();
    throw err;
  }
  if (readPersistedPort(stateDir) !== port) writeFileDurably(join(stateDir, 'emulator.json'), JSON.stringify({ port }), 0o644);
  const url = `https://127.0.0.1:${port}`;

  const ctx: EmulatorContext = {
    store,
    signer,
    baseUrl: url,
    clock: opts.clock ?? systemClock,
    clockToleranceSec: opts.clockToleranceSec ?? 300,
    knobs: { interactiveUser: null, accessTokenLifetimeSec: 3600, issuedTokenClockOffsetSec: 0, refreshTokenReuseGraceSec: 60, throttles: [] },
  };
  const identity = new IdentityService(ctx);
  const api = new SecurityApi(ctx, { operationDelayMs: opts.operationDelayMs, log: opts.log });
  const arm = new ArmService(ctx, iot, new ArmSphereService(ctx, api.fleetOperations, new FleetImageStore(stateDir)));
  const recoveryImages = new RecoveryImagesService();
  // Before the security API, which wants a bearer token on every /v2 path: attesting and update-checking devices have none.
  const dailyCertificates = new DailyCertificateApi(ctx);
  const deviceUpdates = new DeviceUpdateApi(ctx, new FleetImageStore(stateDir));
  const services = [(r: EmuRequest) => identity.handle(r), (r: EmuRequest) => dailyCertificates.handle(r), (r: EmuRequest) => deviceUpdates.handle(r), (r: EmuRequest) => api.handle(r), (r: EmuRequest) => arm.handle(r), (r: EmuRequest) => recoveryImages.handle(r)];

  const respond = async (method: string, rawUrl: string, headers: EmuRequest['headers'], bodyPromise: Promise<Buffer>): Promise<EmuResponse> => {
    const url = new URL(rawUrl, ctx.baseUrl);
    let body: Buffer;
    try {
      body = await bodyPromise;
    } catch (err) {
      if (err instanceof BodyTooLargeError) return jsonResponse(413, { Code: 5, Message: err.message });
      throw err;
    }
    const throttle = ctx.knobs.throttles.find((t) => t.remaining > 0 && url.pathname.startsWith(t.pathPrefix));
    if (throttle) {
      throttle.remaining -= 1;
      const message = `Too many requests. Retry after ${throttle.retryAfterSec} seconds.`;
      const payload = url.pathname.startsWith('/v2/') ? { Code: 0, Message: message } : { error: { code: 'TooManyRequests', message } };
      return jsonResponse(429, payload, { 'retry-after': String(throttle.retryAfterSec) });
    }
    const req: EmuRequest = { method, url, path: url.pathname, headers, body };
    for (const service of services) {
      const res = await service(req);
      if (res) return res;
    }
    return notFound(req);
  };

  server.on('request', (req, res) => {
    const method = req.method ?? 'GET';
    respond(method, req.url ?? '/', req.headers, readBody(req))
      // Nothing reaches the client before everything it could observe is on disk.
      .then(async (out) => {
        await store.durable();
        return out;
      })
      .catch((err: unknown) => {
        opts.log?.(`internal error on ${method} ${(req.url ?? '').split('?')[0]}: ${(err as Error).message}`);
        return jsonResponse(500, { Code: 4, Message: 'Internal server error in the cloud emulator.' });
      })
      .then((out) => {
        opts.log?.(`${method} ${(req.url ?? '').split('?')[0]} ${out.status}`);
        if (res.destroyed) return;
        res.writeHead(out.status, out.headers ?? {});
        res.end(out.body);
      });
  });

  let closed = false;
  return {
    url,
    port,
    caCertPem: tls.caCertPem,
    caCertPath: tls.caCertPath,
    authorityFor: (directory) => `${url}/${directory}`,
    seed: SEED,
    hubHostName: (name) => iotHost(store, iot, 'IotHubs', name),
    provisioningServiceHostName: (name) => iotHost(store, iot, 'provisioningServices', name),
    provisioningHost: iot.provisioningHost,
    idScope: (name) => iot.idScope(iotHubKey(store, 'provisioningServices', name)),
    iotHostNames: () => {
      const all = [...store.state.hubs.entries()];
      const hostsOf = (kind: HubKind) => Object.fromEntries(all.filter(([, h]) => h.kind === kind).map(([key, h]) => [h.name, iot.hostName(key) ?? '']));
      const idScopes = Object.fromEntries(all.filter(([, h]) => h.kind === 'provisioningServices').map(([key, h]) => [h.name, iot.idScope(key)]));
      return { hubs: hostsOf('IotHubs'), provisioningServices: hostsOf('provisioningServices'), idScopes };
    },
    testHooks: {
      setInteractiveUser: (hint) => {
        ctx.knobs.interactiveUser = hint;
      },
      approveDeviceCode: (userCode, loginHint) => identity.approveDeviceCode(userCode, loginHint),
      throttleNext: (count, retryAfterSec, pathPrefix = '/v2/') => {
        ctx.knobs.throttles.push({ remaining: count, retryAfterSec, pathPrefix });
      },
      setAccessTokenLifetime: (seconds) => {
        ctx.knobs.accessTokenLifetimeSec = seconds;
      },
      setIssuedTokenClockOffset: (seconds) => {
        ctx.knobs.issuedTokenClockOffsetSec = seconds;
      },
      setRefreshTokenReuseGrace: (seconds) => {
        ctx.knobs.refreshTokenReuseGraceSec = seconds;
      },
      journalStats: () => store.journalStats(),
      setOperationDelay: (ms) => api.fleetOperations.setDelay(ms),
      settleOperations: () => api.fleetOperations.settle(),
    },
    close: async () => {
      if (closed) return;
      closed = true;
      api.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await iot.close();
      await store.close();
      unlock();
    },
  };
}
