// TLS on top of a stream route, with the trust decision made before the stream is handed to HTTP.
// In pin mode the device ID is needed to find the pin; when the caller does not know it yet, one short identification
// connection reads GET /device/security_state (harmless to ask an unverified peer), then pins or checks.
import type * as tls from 'node:tls';
import { DeviceError } from '../device-error';
import type { Logger } from '../../common/logger';
import type { StreamConnector } from '../transport';
import { peerChain, pinFromChain, startTls, verifyPinnedChain, type TrustPolicy } from './tls-trust';

/** Reads the device ID over an established (not yet trusted) TLS socket, then closes it. */
export type DeviceIdentifier = (socket: tls.TLSSocket) => Promise<string>;

export class TrustedConnector {
  private deviceId: string | undefined;

  constructor(
    private readonly route: StreamConnector,
    private readonly trust: TrustPolicy,
    private readonly identify: DeviceIdentifier,
    private readonly logger: Logger,
    knownDeviceId?: string,
  ) {
    this.deviceId = knownDeviceId;
  }

  get label(): string {
    return this.route.label;
  }

  /** The device ID this connector has verified against (pin mode) or was told (CA mode). */
  get knownDeviceId(): string | undefined {
    return this.deviceId;
  }

  async connect(options: { timeoutMs: number }): Promise<tls.TLSSocket> {
    if (this.trust.kind === 'pin' && this.deviceId === undefined) {
      await this.identifyAndPin(options.timeoutMs);
    }
    const socket = await this.handshake(options.timeoutMs);
    if (this.trust.kind === 'pin') {
      try {
        const pin = await this.trust.store.get(this.deviceId!);
        if (!pin) {
          // The pin was removed since we identified the board: pin again with what is presented now.
          await this.trust.store.set(this.deviceId!, pinFromChain(peerChain(socket)));
        } else {
          verifyPinnedChain(peerChain(socket), pin, this.deviceId!);
        }
      } catch (err) {
        socket.destroy();
        throw err;
      }
    }
    return socket;
  }

  private async handshake(timeoutMs: number): Promise<tls.TLSSocket> {
    const raw = await this.route.connect({ timeoutMs }).catch((err: Error) => {
      throw toConnectError(err, this.route.label);
    });
    return startTls(raw, this.trust, timeoutMs, this.route.label);
  }

  private async identifyAndPin(timeoutMs: number): Promise<void> {
    if (this.trust.kind !== 'pin') return;
    const socket = await this.handshake(timeoutMs);
    const chain = peerChain(socket);
    let deviceId: string;
    try {
      deviceId = await this.identify(socket);
    } finally {
      socket.destroy();
    }
    const pin = await this.trust.store.get(deviceId);
    if (pin) {
      verifyPinnedChain(chain, pin, deviceId);
    } else {
      const fresh = pinFromChain(chain);
      await this.trust.store.set(deviceId, fresh);
      this.logger.info(`Trusting device ${deviceId} on first use: pinned ${fresh.subject} (SHA-256 ${fresh.fingerprint256}).`);
    }
    this.deviceId = deviceId;
  }
}

function toConnectError(err: Error, label: string): DeviceError {
  if (err instanceof DeviceError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ELINKDOWN') return new DeviceError('LINK_DOWN', `The link to the board (${label}) is down: ${err.message}`, { cause: err });
  if (code === 'ETIMEDOUT') {
    return new DeviceError(
      'TIMEOUT',
      `Device connection timed out (${label}). Please ensure your device is connected and has development mode enabled.`,
      { cause: err },
    );
  }
  return new DeviceError('CONNECTION_FAILED', `Could not connect to the device (${label}): ${err.message}${code ? ` (${code})` : ''}`, {
    cause: err,
  });
}
