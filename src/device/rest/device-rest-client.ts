// Typed calls of the device REST API. Every input is validated before anything is sent. Requests whose answer is lost
// are repeated only when that cannot duplicate state: GETs and "set to value" PATCHes are simply retried; adds and
// deletes first re-read the board's state to find out whether the lost request already took effect.
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { DeviceError, isDeviceError } from '../device-error';
import { nullLogger, type Logger } from '../../common/logger';
import * as v from '../validators';
import { isGuid } from '../image-package/guid';
import { deviceErrorMessage, httpStatusMessage } from './device-error-messages';
import type { BodySource, HttpRequestSpec, HttpResult, HttpSession } from './http-session';
import type * as T from './types';

/** What to do when a request may have reached the board but its answer was lost. */
type LostAnswerPolicy<R> =
  | 'resend' // idempotent: sending it again leaves the same state
  | (() => Promise<{ done: true; value: R } | { done: false }>); // re-read state; resend only when not done

export interface DeviceRestClientOptions {
  logger?: Logger;
  /** Attempts per call when the connection fails or an answer is lost (default 5). */
  maxAttempts?: number;
  /** No new attempt starts after this long since the first (default 30 s), so an absent board fails in bounded time. */
  retryBudgetMs?: number;
}

export interface RestartOptions {
  /** How long to wait for the board to answer again (default 90 s). */
  timeoutMs?: number;
  pollIntervalMs?: number;
}

const RETRIABLE = new Set(['TIMEOUT', 'CONNECTION_LOST', 'CONNECTION_FAILED']);

const invalid = (field: string, message: string | null): void => {
  if (message !== null) throw new DeviceError('INVALID_INPUT', message, { field });
};

/** See restart(): the uptime a board needs before its next boot can be recognised by uptime alone. */
const MIN_UPTIME_BEFORE_RESTART_S = 3;

export class DeviceRestClient {
  private readonly logger: Logger;
  private readonly maxAttempts: number;
  private readonly retryBudgetMs: number;
  private apiVersion = '';

  constructor(
    private readonly session: HttpSession,
    options: DeviceRestClientOptions = {},
  ) {
    this.logger = options.logger ?? nullLogger;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBudgetMs = options.retryBudgetMs ?? 30_000;
  }

  /** REST-API-Version the board reported last ("" before the first answer). */
  get restApiVersion(): string {
    return this.apiVersion;
  }

  // ---- status and identity -------------------------------------------------------------------------------------

  async getStatus(): Promise<T.DeviceStatus> {
    const res = await this.send({ method: 'GET', path: '/status' });
    const body = parseJson<{ uptime?: unknown }>(res, 'GET /status');
    if (typeof body.uptime !== 'number') throw badResponse('GET /status', 'no numeric "uptime"');
    return { uptimeSeconds: body.uptime, restApiVersion: this.apiVersion };
  }

  async getOsVersion(): Promise<string> {
    await this.requireApiVersion('4.5.0', 'get_device_os_version');
    const body = await this.getJson<{ osversion?: unknown }>('/osversion');
    if (typeof body.osversion !== 'string') throw badResponse('GET /osversion', 'no "osversion" string');
    return body.osversion;
  }

  async getSecurityState(): Promise<T.SecurityState> {
    const body = await this.getJson<T.SecurityState>('/device/security_state');
    if (typeof body.deviceIdentifier !== 'string') throw badResponse('GET /device/security_state', 'no "deviceIdentifier"');
    return body;
  }

  async getDeviceId(): Promise<string> {
    return (await this.getSecurityState()).deviceIdentifier;
  }

  async getCapabilities(): Promise<number[]> {
    const body = await this.getJson<{ device_capabilities?: unknown }>('/device/capabilities');
    if (!Array.isArray(body.device_capabilities)) throw badResponse('GET /device/capabilities', 'no "device_capabilities" array');
    return body.device_capabilities as number[];
  }

  /**
   * Restarts the board and resolves once it answers again from a fresh boot. A lost answer to POST /restart is not
   * resent blindly: the board may be restarting already. It counts as restarted when its uptime says it booted after
   * the request, and either the uptime clearly went back or the board was seen unreachable in between. If the answer
   * was lost and the board keeps answering from the old boot for 5 s, the request is sent once more.
   */
  async restart(options: RestartOptions = {}): Promise<T.DeviceStatus> {
    const timeoutMs = options.timeoutMs ?? 90_000;
    const before = await this.statusBeforeReboot();
    const requestedAt = Date.now();
    const answerLost = await this.requestRestart();
    this.logger.info(`Restarting device (${this.session.label}).`);
    const booted = await this.awaitBoot(before, requestedAt, { ...options, timeoutMs }, answerLost ? () => this.requestRestart() : undefined);
    this.logger.info(`Device restarted successfully (${this.session.label}).`);
    return booted;
  }

  /**
   * The status to compare the next boot against (give it to waitForReboot). Uptime comes in whole seconds, so the next
   * boot of a board that booted under ~3 s ago cannot be told apart from this one unless the board is seen down in
   * between (a quick reboot between two polls is not); the current boot is given those seconds first.
   */
  async statusBeforeReboot(): Promise<T.DeviceStatus> {
    const status = await this.getStatus();
    if (status.uptimeSeconds >= MIN_UPTIME_BEFORE_RESTART_S) return status;
    await delay((MIN_UPTIME_BEFORE_RESTART_S - status.uptimeSeconds) * 1000);
    return this.getStatus();
  }

  /**
   * Waits until the board answers from a boot that started after `requestedAt` (e.g. after an install that answered
   * restartingSystem). `before` is statusBeforeReboot()'s answer, read before the request. It counts as rebooted when its uptime says it
   * booted after the request, and either the uptime clearly went back or the board was seen unreachable in between.
   */
  async waitForReboot(before: T.DeviceStatus, requestedAt: number, options: RestartOptions = {}): Promise<T.DeviceStatus> {
    return this.awaitBoot(before, requestedAt, { ...options, timeoutMs: options.timeoutMs ?? 90_000 }, undefined);
  }

  /**
   * The polling behind restart() and waitForReboot(). `resend`, when given, is called when the board keeps answering
   * from the old boot for 5 s (the request may never have reached it); it resolves true when its own answer was lost.
   */
  private async awaitBoot(before: T.DeviceStatus, requestedAt: number, options: RestartOptions & { timeoutMs: number }, resend: (() => Promise<boolean>) | undefined): Promise<T.DeviceStatus> {
    const pollMs = options.pollIntervalMs ?? 250;
    const deadline = requestedAt + options.timeoutMs;
    let sawDown = false;
    let oldBootSince: number | undefined;
    while (Date.now() < deadline) {
      await delay(pollMs);
      let uptime: number;
      try {
        const res = await this.session.request({ method: 'GET', path: '/status', idleTimeoutMs: 3_000 });
        uptime = parseJson<{ uptime?: number }>(this.check(res, 'GET /status'), 'GET /status').uptime ?? Infinity;
      } catch (err) {
        if (!isDeviceError(err) || !(RETRIABLE.has(err.code) || err.code === 'LINK_DOWN')) throw err;
        sawDown = true;
        this.session.resetConnection();
        continue;
      }
      const sinceRequest = (Date.now() - requestedAt) / 1000;
      const bootedAfterRequest = uptime <= sinceRequest + 1;
      const clearlyReset = uptime + 2 < before.uptimeSeconds + sinceRequest;
      if (bootedAfterRequest && (clearlyReset || sawDown)) return { uptimeSeconds: uptime, restApiVersion: this.apiVersion };
      if (resend && !bootedAfterRequest) {
        oldBootSince ??= Date.now();
        if (Date.now() - oldBootSince > 5_000) {
          this.logger.info('The restart request seems not to have reached the board; sending it again.');
          requestedAt = Date.now();
          if (!(await resend())) resend = undefined;
          oldBootSince = undefined;
        }
      }
    }
    throw new DeviceError('TIMEOUT', `The board did not answer within ${Math.round(options.timeoutMs / 1000)} s after restarting (${this.session.label}).`);
  }

  /** POST /restart; resolves true when the answer was lost (the board may or may not be restarting). */
  private async requestRestart(): Promise<boolean> {
    try {
      this.check(await this.session.request({ method: 'POST', path: '/restart' }), 'POST /restart');
      return false;
    } catch (err) {
      if (!(isDeviceError(err) && err.mayHaveReachedDevice && RETRIABLE.has(err.code))) throw err;
      return true;
    } finally {
      this.session.resetConnection(); // the board drops its connections when it restarts
    }
  }

  // ---- Wi-Fi networks ------------------------------------------------------------------------------------------

  async listWifiNetworks(): Promise<T.WifiNetwork[]> {
    return (await this.getJson<{ values?: T.WifiNetwork[] }>('/wifi/config/networks')).values ?? [];
  }

  async getWifiNetwork(id: number): Promise<T.WifiNetwork> {
    invalid('id', v.validateNetworkId(id));
    return this.getJson<T.WifiNetwork>(`/wifi/config/networks/${id}`);
  }

  async addWifiNetwork(network: T.NewWifiNetwork): Promise<T.WifiNetwork> {
    const body = wifiNetworkBody(network);
    const res = await this.exchange<T.WifiNetwork>({ method: 'POST', path: '/wifi/config/networks', json: body }, async () => {
      const existing = (await this.listWifiNetworks()).find(
        (n) => n.ssid === network.ssid && n.securityState === network.security && (network.configName ?? undefined) === (n.configName ?? undefined),
      );
      if (existing) this.logger.info(`Answer to "add network" was lost; the board already has SSID-matching network ${existing.id}, not adding it again.`);
      return existing ? { done: true as const, value: existing } : { done: false as const };
    });
    return 'reconciled' in res ? res.reconciled : parseJson<T.WifiNetwork>(res.answer, 'POST /wifi/config/networks');
  }

  async setWifiNetworkEnabled(id: number, enabled: boolean): Promise<T.WifiNetwork> {
    invalid('id', v.validateNetworkId(id));
    const res = await this.send({ method: 'PATCH', path: `/wifi/config/networks/${id}`, json: { configState: enabled ? 'enabled' : 'disabled' } });
    const body = parseJson<Partial<T.WifiNetwork>>(res, `PATCH /wifi/config/networks/${id}`);
    return typeof body.id === 'number' ? (body as T.WifiNetwork) : this.getWifiNetwork(id);
  }

  async forgetWifiNetwork(id: number): Promise<void> {
    invalid('id', v.validateNetworkId(id));
    await this.exchange({ method: 'DELETE', path: `/wifi/config/networks/${id}` }, async () =>
      (await this.listWifiNetworks()).some((n) => n.id === id) ? { done: false } : { done: true, value: undefined },
    );
  }

  // ---- Wi-Fi interface, scan, diagnostics ----------------------------------------------------------------------

  getWifiInterface(): Promise<T.WifiInterfaceStatus> {
    return this.getJson<T.WifiInterfaceStatus>('/wifi/interface');
  }

  async reloadWifiConfig(): Promise<void> {
    await this.send({ method: 'PATCH', path: '/wifi/interface', json: { reloadConfig: true } });
  }

  async scanWifi(): Promise<T.WifiScanResult[]> {
    return (await this.getJson<{ values?: T.WifiScanResult[] }>('/wifi/scan')).values ?? [];
  }

  async getWifiDiagnostics(networkId?: number): Promise<T.WifiDiagnosticsEntry[]> {
    if (networkId === undefined) return (await this.getJson<{ values?: T.WifiDiagnosticsEntry[] }>('/wifi/diagnostics/networks')).values ?? [];
    invalid('networkId', v.validateNetworkId(networkId));
    return [await this.getJson<T.WifiDiagnosticsEntry>(`/wifi/diagnostics/networks/${networkId}`)];
  }

  // ---- network interfaces and status ---------------------------------------------------------------------------

  async listNetworkInterfaces(): Promise<T.NetworkInterface[]> {
    return (await this.getJson<{ interfaces?: T.NetworkInterface[] }>('/net/interfaces')).interfaces ?? [];
  }

  async getNetworkInterface(name: string): Promise<T.NetworkInterface> {
    invalid('interfaceName', v.validateInterfaceName(name));
    return this.getJson<T.NetworkInterface>(`/net/interfaces/${encodeURIComponent(name)}`);
  }

  async setNetworkInterfaceUp(name: string, up: boolean): Promise<void> {
    invalid('interfaceName', v.validateInterfaceName(name));
    await this.send({ method: 'PATCH', path: `/net/interfaces/${encodeURIComponent(name)}`, json: { interfaceUp: up } });
  }

  getNetworkStatus(): Promise<T.NetworkStatus> {
    return this.getJson<T.NetworkStatus>('/net/status');
  }

  // ---- certificate store ---------------------------------------------------------------------------------------

  async listCertificates(): Promise<string[]> {
    return (await this.getJson<{ identifiers?: string[] }>('/certstore/certs')).identifiers ?? [];
  }

  async getCertificate(id: string): Promise<T.CertificateDetails> {
    invalid('id', v.validateCertificateId(id));
    return this.getJson<T.CertificateDetails>(`/certstore/certs/${encodeURIComponent(id)}`);
  }

  async addRootCaCertificate(id: string, publicCertPem: string): Promise<void> {
    invalid('id', v.validateCertificateId(id));
    invalid('publicCert', v.validatePem(publicCertPem, 'Public certificate'));
    await this.addCertificate(id, { certType: 'rootca', publicCert: publicCertPem });
  }

  async addClientCertificate(cert: T.NewClientCertificate): Promise<void> {
    invalid('id', v.validateCertificateId(cert.id));
    invalid('publicCert', v.validatePem(cert.publicCertPem, 'Public certificate'));
    invalid('privateKey', v.validatePem(cert.privateKeyPem, 'Private key'));
    if (cert.password !== undefined) invalid('password', v.validateKeyPassword(cert.password));
    const body: Record<string, string> = { certType: 'client', publicCert: cert.publicCertPem, privateKey: cert.privateKeyPem };
    if (cert.password !== undefined) body.password = cert.password;
    await this.addCertificate(cert.id, body);
  }

  async deleteCertificate(id: string): Promise<void> {
    invalid('id', v.validateCertificateId(id));
    await this.exchange({ method: 'DELETE', path: `/certstore/certs/${encodeURIComponent(id)}` }, async () =>
      (await this.listCertificates()).includes(id) ? { done: false } : { done: true, value: undefined },
    );
  }

  /** Free bytes in the certificate store (the board sends a string). */
  async getCertificateSpace(): Promise<number> {
    const body = await this.getJson<{ AvailableSpace?: unknown }>('/certstore/space');
    const bytes = Number(body.AvailableSpace);
    if (body.AvailableSpace === undefined || !Number.isFinite(bytes)) throw badResponse('GET /certstore/space', 'no numeric "AvailableSpace"');
    return bytes;
  }

  // ---- applications --------------------------------------------------------------------------------------------

  /** `notPresent` for a component that is not installed (or only staged). */
  async getAppStatus(componentId: string): Promise<T.AppState> {
    const cid = checkComponentId(componentId, 'get the app status');
    const body = await this.getJson<{ state?: unknown }>(`/app/status/${cid}`);
    return appState(body.state, `GET /app/status/${cid}`);
  }

  /** Starts, stops or starts for debugging; "set to this state" is safe to send again, so a lost answer is resent. */
  async setAppState(componentId: string, trigger: T.AppTrigger): Promise<T.AppStateChange> {
    const cid = checkComponentId(componentId, 'set the app status');
    if (!APP_TRIGGERS.has(trigger)) {
      throw new DeviceError('INVALID_INPUT', 'ERROR: Cannot set the app status, invalid trigger. Use start, stop or startDebug.', { field: 'trigger' });
    }
    const what = `PATCH /app/status/${cid}`;
    const body = parseJson<{ state?: unknown; gdbPort?: unknown; outPort?: unknown }>(
      await this.send({ method: 'PATCH', path: `/app/status/${cid}`, json: { trigger } }),
      what,
    );
    const change: T.AppStateChange = { state: appState(body.state, what) };
    if (typeof body.gdbPort === 'number') change.gdbPort = body.gdbPort;
    if (typeof body.outPort === 'number') change.outPort = body.outPort;
    return change;
  }

  async getAppQuota(componentId: string): Promise<T.AppQuota> {
    const cid = checkComponentId(componentId, 'get the app quota');
    const body = await this.getJson<Partial<T.AppQuota>>(`/app/quota/${cid}`);
    if (typeof body.UsageKB !== 'number' || typeof body.LimitKB !== 'number') throw badResponse(`GET /app/quota/${cid}`, 'no numeric "UsageKB" and "LimitKB"');
    return { UsageKB: body.UsageKB, LimitKB: body.LimitKB };
  }

  async getAppMemoryStats(): Promise<T.AppMemoryStats> {
    const body = await this.getJson<Partial<T.AppMemoryStats>>('/stats/memory/groups/applications');
    if (typeof body.memoryStats !== 'object' || body.memoryStats === null || !Array.isArray(body.apps)) {
      throw badResponse('GET /stats/memory/groups/applications', 'no "memoryStats" object and "apps" array');
    }
    return body as T.AppMemoryStats;
  }

  /** Every component on the board (OS parts, the debugger, applications, board configuration) and staging flags. */
  async listImages(): Promise<T.InstalledImages> {
    const body = await this.getJson<Partial<T.InstalledImages>>('/images');
    if (!Array.isArray(body.components)) throw badResponse('GET /images', 'no "components" array');
    return {
      is_ota_update_in_progress: body.is_ota_update_in_progress === true,
      has_staged_updates: body.has_staged_updates === true,
      restart_required: body.restart_required === true,
      components: body.components,
    };
  }

  /**
   * Deletes a component's image (stopping the app). The board answers `{}` for a component it does not have, so
   * deleting is idempotent and a lost answer is simply resent.
   */
  async deleteImage(componentId: string): Promise<T.RestartInfo> {
    const cid = checkComponentId(componentId, 'delete image');
    const body = parseJson<{ restartingSystem?: unknown }>(await this.send({ method: 'DELETE', path: `/app/image/${cid}` }), `DELETE /app/image/${cid}`);
    return { restartingSystem: body.restartingSystem === true };
  }

  // ---- sideloading ---------------------------------------------------------------------------------------------

  /**
   * Streams an image package to `PUT /update/stage` (application/octet-stream, `length` bytes). Progress counts the
   * bytes handed to the connection; aborting `signal` fails with CancelledError and tears the connection down, so the
   * board discards the partial package.
   *
   * A lost answer sends the whole package again, from the start, when the body can be opened again (a Buffer or a
   * BodySource; a Readable can be read once, so its lost answer is an error). That is safe because staging only ever
   * replaces the board's staged copy of this component: a partial upload is discarded, a complete one is replaced by
   * the same bytes, and nothing is installed until `installImages()`, which is never sent while a stage is in flight.
   * (Were an install to run in between, the resend would stage the same image again, and the next install would
   * replace the app with itself.) Re-reading `GET /images` instead cannot tell our staged copy from an older one of
   * the same component, so it could not prove the new bytes arrived.
   */
  async stageImage(body: Buffer | Readable | BodySource, length: number, options: StageImageOptions = {}): Promise<void> {
    if (!Number.isSafeInteger(length) || length <= 0) {
      throw new DeviceError('INVALID_INPUT', `ERROR: Cannot stage image, the image package is empty or its length (${length}) is not a byte count.`, { field: 'image' });
    }
    if (Buffer.isBuffer(body) && body.length !== length) {
      throw new DeviceError('INVALID_INPUT', `ERROR: Cannot stage image, ${body.length} bytes given for a package of ${length} bytes.`, { field: 'image' });
    }
    const oneShot = body instanceof Readable;
    const source: BodySource = Buffer.isBuffer(body) ? bufferSource(body) : oneShot ? onceSource(body, length) : body;
    if (source.length !== length) {
      throw new DeviceError('INVALID_INPUT', `ERROR: Cannot stage image, the body is ${source.length} bytes but the package is ${length}.`, { field: 'image' });
    }
    const spec: HttpRequestSpec = { method: 'PUT', path: '/update/stage', body: source, contentType: 'application/octet-stream' };
    if (options.onProgress) {
      const report = options.onProgress;
      spec.onUploadProgress = (sent) => report(sent);
    }
    if (options.signal) spec.signal = options.signal;
    await this.exchange(
      spec,
      oneShot
        ? () => {
            throw new DeviceError('CONNECTION_LOST', 'The answer to the upload was lost and the stream cannot be read again; stage the image package again.', {
              mayHaveReachedDevice: true,
            });
          }
        : 'resend',
    );
  }

  /** Streams an image package to PUT /update/stage (kept for callers that have the whole package in memory). */
  async stageUpdate(image: Buffer | BodySource, onProgress?: (sentBytes: number, totalBytes: number) => void): Promise<void> {
    const length = image.length;
    const options: StageImageOptions = {};
    if (onProgress) options.onProgress = (sent) => onProgress(sent, length);
    await this.stageImage(image, length, options);
  }

  /**
   * Installs what is staged (`POST /update/install`); `Auto` starts the applications, `Manual` leaves them stopped.
   * A lost answer is not resent blindly: `GET /images` says whether anything is still staged. Nothing staged means the
   * install took effect (its `restartingSystem` is then unknown and reported as false); still staged means it did not
   * reach the board, and it is sent again.
   */
  async installImages(mode: T.AppControlMode = 'Auto'): Promise<T.RestartInfo> {
    if (mode !== 'Auto' && mode !== 'Manual') {
      throw new DeviceError('INVALID_INPUT', `ERROR: Cannot install images, invalid app control mode "${String(mode)}". Use Auto or Manual.`, { field: 'appControlMode' });
    }
    const outcome = await this.exchange<T.RestartInfo>({ method: 'POST', path: '/update/install', json: { appControlMode: mode } }, async () => {
      if ((await this.listImages()).has_staged_updates) return { done: false };
      this.logger.info('The answer to "install" was lost; nothing is staged any more, so the install took effect.');
      return { done: true, value: { restartingSystem: false } };
    });
    if ('reconciled' in outcome) return outcome.reconciled;
    const body = parseJson<{ restartingSystem?: unknown }>(outcome.answer, 'POST /update/install');
    if (body.restartingSystem === true) this.session.resetConnection(); // the board drops its connections as it restarts
    return { restartingSystem: body.restartingSystem === true };
  }

  // ---- machinery -----------------------------------------------------------------------------------------------

  private async addCertificate(id: string, body: Record<string, string>): Promise<void> {
    await this.exchange({ method: 'POST', path: `/certstore/certs/${encodeURIComponent(id)}`, json: body }, async () =>
      (await this.listCertificates()).includes(id) ? { done: true, value: undefined } : { done: false },
    );
  }

  private async getJson<R>(path: string): Promise<R> {
    return parseJson<R>(await this.send({ method: 'GET', path }), `GET ${path}`);
  }

  private async requireApiVersion(required: string, operation: string): Promise<void> {
    if (!this.apiVersion) await this.getStatus();
    if (this.apiVersion && compareVersions(this.apiVersion, required) < 0) {
      throw new DeviceError(
        'UNSUPPORTED',
        `The current device does not support ${operation}. Required DeviceAPI version: ${required}. DeviceAPI version reported by device: ${this.apiVersion}`,
      );
    }
  }

  /** Sends a request that is safe to repeat, retrying connection failures and lost answers. */
  private async send(spec: HttpRequestSpec): Promise<HttpResult> {
    const outcome = await this.exchange<never>(spec, 'resend');
    return (outcome as { answer: HttpResult }).answer;
  }

  /**
   * Sends a request, retrying connection failures; on a lost answer follows `lost`. HTTP errors become DeviceErrors.
   * Resolves with the board's answer, or with what `lost` found when the request had already taken effect.
   */
  private async exchange<R>(spec: HttpRequestSpec, lost: LostAnswerPolicy<R>): Promise<{ answer: HttpResult } | { reconciled: R }> {
    const what = `${spec.method} ${spec.path}`;
    const startedAt = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return { answer: this.check(await this.session.request(spec), what) };
      } catch (err) {
        const outOfTries = attempt >= this.maxAttempts || Date.now() - startedAt > this.retryBudgetMs;
        if (!isDeviceError(err) || !RETRIABLE.has(err.code) || outOfTries) throw err;
        this.session.resetConnection();
        this.logger.debug(`${what}: ${err.code} (attempt ${attempt}/${this.maxAttempts}); ${err.mayHaveReachedDevice ? 'answer lost' : 'not sent'}`);
        if (err.mayHaveReachedDevice && lost !== 'resend') {
          const outcome = await lost();
          if (outcome.done) return { reconciled: outcome.value };
        }
        await delay(Math.min(100 * 2 ** (attempt - 1), 2_000));
      }
    }
  }

  private check(res: HttpResult, what: string): HttpResult {
    const version = res.headers['rest-api-version'];
    if (typeof version === 'string') this.apiVersion = version;
    if (res.status >= 200 && res.status < 300) return res;
    let code: number | undefined;
    try {
      const parsed = JSON.parse(res.body.toString('utf8')) as { error?: unknown };
      if (typeof parsed.error === 'number') code = parsed.error;
    } catch {
      // not JSON: keep the HTTP status alone
    }
    const detail = code === undefined ? '' : deviceErrorMessage(code);
    const details: { httpStatus: number; deviceError?: number } = { httpStatus: res.status };
    if (code !== undefined) details.deviceError = code;
    this.logger.debug(`${what} → HTTP ${res.status}${code === undefined ? '' : ` error ${code}`}`);
    throw new DeviceError('DEVICE_ERROR', httpStatusMessage(res.status, detail), details);
  }
}

function wifiNetworkBody(network: T.NewWifiNetwork): Record<string, unknown> {
  invalid('ssid', v.validateSsid(network.ssid));
  if (network.configName !== undefined) invalid('configName', v.validateConfigName(network.configName));
  const body: Record<string, unknown> = {
    ssid: network.ssid,
    securityState: network.security,
    configState: network.enabled === false ? 'disabled' : 'enabled',
  };
  if (network.configName !== undefined) body.configName = network.configName;
  if (network.targetedScan !== undefined) body.targetedScan = network.targetedScan;
  switch (network.security) {
    case 'open':
      break;
    case 'psk':
      invalid('psk', v.validatePsk(network.psk));
      body.psk = network.psk;
      break;
    case 'eaptls':
      invalid('clientCertId', v.validateCertificateId(network.clientCertId));
      body.clientCertStoreIdentifier = network.clientCertId;
      if (network.clientIdentity !== undefined) {
        invalid('clientIdentity', v.validateClientIdentity(network.clientIdentity));
        body.clientIdentity = network.clientIdentity;
      }
      if (network.rootCaCertId !== undefined) {
        invalid('rootCaCertId', v.validateCertificateId(network.rootCaCertId));
        body.rootCaCertStoreIdentifier = network.rootCaCertId;
      }
      break;
    default:
      throw new DeviceError('INVALID_INPUT', `Unknown security type "${String((network as { security: unknown }).security)}"; use open, psk or eaptls.`, {
        field: 'security',
      });
  }
  return body;
}

function parseJson<R>(res: HttpResult, what: string): R {
  const text = res.body.toString('utf8').trim();
  if (text === '') return {} as R;
  try {
    return JSON.parse(text) as R;
  } catch {
    throw badResponse(what, 'the body is not JSON');
  }
}

function badResponse(what: string, why: string): DeviceError {
  return new DeviceError('BAD_RESPONSE', `Unexpected answer from the board to ${what}: ${why}.`);
}

export interface StageImageOptions {
  /** Bytes of the package handed to the connection so far. */
  onProgress?: (bytesSent: number) => void;
  signal?: AbortSignal;
}

const APP_TRIGGERS: ReadonlySet<string> = new Set<T.AppTrigger>(['start', 'stop', 'startDebug']);
const APP_STATES: ReadonlySet<string> = new Set<T.AppState>(['running', 'stopped', 'debugging', 'notPresent']);

/**
 * Checks a component ID before it goes into a path and returns it in lower case; `action` completes the vendor
 * clients' "Cannot …, invalid component ID." ("get the app status", "delete image").
 */
export function checkComponentId(componentId: string, action: string): string {
  if (typeof componentId !== 'string' || !isGuid(componentId)) {
    const shown = typeof componentId === 'string' ? `"${componentId.length > 40 ? `${componentId.slice(0, 40)}…` : componentId}"` : String(componentId);
    throw new DeviceError(
      'INVALID_INPUT',
      `ERROR: Cannot ${action}, invalid component ID. ${shown} is not a GUID such as 2f074b0f-d99d-4692-82d9-ef93a7d6463c.`,
      { field: 'componentId' },
    );
  }
  return componentId.toLowerCase();
}

function appState(value: unknown, what: string): T.AppState {
  if (typeof value !== 'string' || !APP_STATES.has(value)) throw badResponse(what, `unknown app state ${JSON.stringify(value)}`);
  return value as T.AppState;
}

/** A stream that can be sent once: opening it again (a retry) is refused. */
function onceSource(stream: Readable, length: number): BodySource {
  let opened = false;
  return {
    length,
    open: () => {
      if (opened) throw new DeviceError('INVALID_INPUT', 'The image package stream was already sent and cannot be read again.', { field: 'image' });
      opened = true;
      return stream;
    },
  };
}

function bufferSource(buffer: Buffer): BodySource {
  const chunkSize = 64 * 1024;
  return {
    length: buffer.length,
    open: () => Readable.from((function* () {
      for (let offset = 0; offset < buffer.length; offset += chunkSize) yield buffer.subarray(offset, offset + chunkSize);
    })()),
  };
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
