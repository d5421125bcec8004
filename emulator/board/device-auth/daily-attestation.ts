// Daily attestation on the board: while it is online with a synced clock, it keeps a valid device certificate from
// the cloud, asking for one when it has none, when the one it has is expired (by its own clock), or when less than
// four hours of it remain. A real board attests about once a day and its certificate is valid 24 hours
// (learn.microsoft.com/azure-sphere/deployment/certificate-use-with-azure-sphere); "the Microsoft-managed client
// certificate will only be available for use when the device is connected to the internet at least once every 24
// hours" (learn.microsoft.com/azure-sphere/app-development/certstore).
//
// It checks on a timer and whenever the network changes. A refusal — not claimed, a clock the service rejects, no
// answer — is retried with a delay that doubles up to a limit, so a board that is not claimed does not hammer the
// cloud; getting online again starts over at once.
import { EventEmitter } from 'node:events';
import type * as crypto from 'node:crypto';
import type { WifiStation } from '../wifi-station';
import { requestDailyCertificate, type AttestationOutcome, type DeviceCertificateRecord } from './attestation-request';
import type { DeviceCertificateStore } from './device-certificate-store';

/** Renew when less than this is left (by the board's clock). */
export const RENEW_BEFORE_EXPIRY_MS = 4 * 3600 * 1000;

export interface AttestationTiming {
  /** How often the board looks at its certificate (and retries after a refusal, doubling up to `retryMaxMs`). */
  checkMs: number;
  retryMaxMs: number;
}

export const DEFAULT_ATTESTATION_TIMING: AttestationTiming = { checkMs: 10_000, retryMaxMs: 5 * 60_000 };

export interface DailyAttestationDeps {
  deviceId: string;
  deviceKey: crypto.KeyObject;
  store: DeviceCertificateStore;
  station: WifiStation;
  /** The cloud to attest to; without one the board never gets a certificate. */
  cloud: { url: string; caPem: string | undefined } | undefined;
  timing: AttestationTiming;
  log(line: string): void;
  /** The request itself (tests may stand in for the cloud). */
  request?: typeof requestDailyCertificate;
}

/** Emits 'change' when the certificate or the readiness changes. */
export class DailyAttestation extends EventEmitter {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private failures = 0;
  /** performance.now() before which no request is made (after a refusal); monotonic, whatever the clocks do. */
  private retryAt = 0;
  private lastProblem: string | undefined;
  private wasReady = false;
  private readonly onNetworkChange = (): void => {
    if (this.deps.station.connectedToInternet) {
      this.failures = 0;
      this.retryAt = 0;
    }
    void this.check();
  };

  constructor(private readonly deps: DailyAttestationDeps) {
    super();
  }

  get certificate(): DeviceCertificateRecord | undefined {
    return this.deps.store.certificate;
  }

  /** What `deviceAuthenticationIsReady` reports: an unexpired certificate by the board's clock, online, time synced. */
  get ready(): boolean {
    const { station } = this.deps;
    return station.connectedToInternet && station.timeSynced && this.validAt(station.now().getTime());
  }

  /** The PEM file apps of `tenantId` are pointed at (DeviceAuth_GetCertificatePath). */
  certificatePath(tenantId: string): string {
    return this.deps.store.certificatePath(tenantId);
  }

  /** Why the last attempt failed, while it keeps failing. */
  get problem(): string | undefined {
    return this.lastProblem;
  }

  start(): void {
    if (this.timer) return;
    this.deps.station.on('change', this.onNetworkChange);
    this.deps.station.on('lease', this.onNetworkChange);
    this.timer = setInterval(() => void this.check(), this.deps.timing.checkMs);
    void this.check();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.deps.station.off('change', this.onNetworkChange);
    this.deps.station.off('lease', this.onNetworkChange);
    await this.inFlight;
  }

  /** Looks at the certificate now: asks for a new one if it needs one and may ask; one request at a time. */
  check(): Promise<void> {
    this.inFlight ??= this.attestIfDue().finally(() => {
      this.inFlight = undefined;
      this.announceReadiness();
    });
    return this.inFlight;
  }

  private validAt(boardNowMs: number): boolean {
    const cert = this.deps.store.certificate;
    return cert !== undefined && Date.parse(cert.notBefore) <= boardNowMs && boardNowMs < Date.parse(cert.notAfter);
  }

  private needsCertificate(boardNowMs: number): boolean {
    const cert = this.deps.store.certificate;
    return !this.validAt(boardNowMs) || Date.parse(cert!.notAfter) - boardNowMs < RENEW_BEFORE_EXPIRY_MS;
  }

  private announceReadiness(): void {
    const ready = this.ready;
    if (ready !== this.wasReady) {
      this.wasReady = ready;
      this.emit('change');
    }
  }

  private async attestIfDue(): Promise<void> {
    const { station, cloud } = this.deps;
    this.announceReadiness();
    // The service refuses a board whose clock is not synced, and there is no cloud to reach offline.
    if (!cloud || !station.connectedToInternet || !station.timeSynced) return;
    const boardNow = station.now();
    if (!this.needsCertificate(boardNow.getTime()) || performance.now() < this.retryAt) return;
    const request = this.deps.request ?? requestDailyCertificate;
    const outcome = await request({
      cloudUrl: cloud.url,
      cloudCaPem: cloud.caPem,
      deviceId: this.deps.deviceId,
      deviceKey: this.deps.deviceKey,
      timestamp: boardNow.toISOString(),
    });
    await this.settle(outcome);
  }

  private async settle(outcome: AttestationOutcome): Promise<void> {
    if (outcome.ok) {
      await this.deps.store.save(outcome.certificate);
      this.failures = 0;
      this.retryAt = 0;
      this.lastProblem = undefined;
      this.deps.log(`daily attestation: device certificate for tenant ${outcome.certificate.tenantId}, valid until ${outcome.certificate.notAfter}`);
      this.emit('change');
      return;
    }
    this.failures++;
    const delay = Math.min(this.deps.timing.checkMs * 2 ** (this.failures - 1), this.deps.timing.retryMaxMs);
    this.retryAt = performance.now() + delay;
    const problem = `${outcome.kind}: ${outcome.message}`;
    // One line per new problem, not one per retry.
    if (problem !== this.lastProblem) this.deps.log(`daily attestation failed (${problem}); trying again in ${(delay / 1000).toFixed(1)} s, then less often while it fails`);
    this.lastProblem = problem;
  }
}
