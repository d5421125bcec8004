// Assembles route → verified TLS → kept-alive HTTP → typed REST client for one board.
import { nullLogger, type Logger } from '../common/logger';
import { DeviceRestClient } from './rest/device-rest-client';
import { HttpSession } from './rest/http-session';
import { readDeviceIdOverSocket } from './rest/identify';
import { TrustedConnector } from './trust/secure-connector';
import type { TrustPolicy } from './trust/tls-trust';
import type { StreamConnector } from './transport';

export interface DeviceConnectionOptions {
  route: StreamConnector;
  trust: TrustPolicy;
  /** Known device ID (e.g. from a simulator announcement); in pin mode it selects the pin without asking the board. */
  deviceId?: string;
  logger?: Logger;
  connectTimeoutMs?: number;
  /** A request fails when nothing moves on its connection for this long (default 15 s). */
  idleTimeoutMs?: number;
  /** Attempts per call on connection failures / lost answers (default 5). */
  maxAttempts?: number;
  /** No new attempt starts after this long since a call's first (default 30 s). */
  retryBudgetMs?: number;
}

export class DeviceConnection {
  readonly client: DeviceRestClient;
  private readonly session: HttpSession;
  private readonly connector: TrustedConnector;

  constructor(options: DeviceConnectionOptions) {
    const logger = options.logger ?? nullLogger;
    this.connector = new TrustedConnector(options.route, options.trust, (socket) => readDeviceIdOverSocket(socket), logger, options.deviceId);
    const sessionOptions: ConstructorParameters<typeof HttpSession>[1] = { logger };
    if (options.connectTimeoutMs !== undefined) sessionOptions.connectTimeoutMs = options.connectTimeoutMs;
    if (options.idleTimeoutMs !== undefined) sessionOptions.idleTimeoutMs = options.idleTimeoutMs;
    this.session = new HttpSession(this.connector, sessionOptions);
    const clientOptions: ConstructorParameters<typeof DeviceRestClient>[1] = { logger };
    if (options.maxAttempts !== undefined) clientOptions.maxAttempts = options.maxAttempts;
    if (options.retryBudgetMs !== undefined) clientOptions.retryBudgetMs = options.retryBudgetMs;
    this.client = new DeviceRestClient(this.session, clientOptions);
  }

  get label(): string {
    return this.connector.label;
  }

  /** Device ID the TLS trust was checked against (pin mode) or that the caller supplied. */
  get deviceId(): string | undefined {
    return this.connector.knownDeviceId;
  }

  /** Drops the kept-alive connection; the next call reconnects. */
  resetConnection(): void {
    this.session.resetConnection();
  }

  dispose(): void {
    this.session.dispose();
  }
}
