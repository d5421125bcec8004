// Check 4: a TCP connection to port 443, the TLS handshake, and whose certificate it is: verified against the CA in CA
// mode, against the pin taken on first use in pin mode, and the device ID the board reports against the one expected.
// Reading the device ID (GET /device/security_state) is harmless to ask an unverified peer: nothing is sent but the path.
import type { X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isDeviceError } from '../device-error';
import { readDeviceIdOverSocket } from '../rest/identify';
import { peerChain, startTls, verifyPinnedChain } from '../trust/tls-trust';
import type { StreamConnector } from '../transport';
import type { DoctorTarget } from './types';

export interface TlsCheckOutcome {
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  details: string[];
  nextAction?: string;
  /** The device ID the board reported (when it got that far). */
  deviceId?: string;
}

const shortId = (id: string): string => `${id.slice(0, 8).toUpperCase()}…`;

function describeCertificate(chain: X509Certificate[]): string[] {
  const leaf = chain[0];
  const top = chain[chain.length - 1];
  if (!leaf || !top) return ['The board presented no certificate.'];
  const lines = [`Certificate: ${leaf.subject.replace(/\n/g, ', ')}; issued by ${leaf.issuer.replace(/\n/g, ', ')}; valid ${leaf.validFrom} to ${leaf.validTo}.`];
  lines.push(`Top of the chain (what is pinned): SHA-256 ${top.fingerprint256}.`);
  return lines;
}

function connectAdvice(err: Error): { summary: string; nextAction: string } {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') {
    return {
      summary: 'The board refused a TCP connection on port 443: its device REST API is not running.',
      nextAction: 'Press the board\'s Reset button and run this again; if it keeps refusing, the board may be in recovery mode: recover it.',
    };
  }
  if (code === 'ELINKDOWN') return { summary: `The link went down: ${err.message}`, nextAction: 'Plug the board\'s USB cable in again, then run this again.' };
  return {
    summary: `No TCP connection to port 443 (${code || err.message}) although the board answers ping.`,
    nextAction: 'The board may be busy applying an OS update: wait a few minutes, then run this again; if nothing changes, press its Reset button.',
  };
}

export async function checkTls(route: StreamConnector, target: DoctorTarget, timeoutMs: number): Promise<TlsCheckOutcome> {
  const details: string[] = [];
  const started = performance.now();
  let raw;
  try {
    raw = await route.connect({ timeoutMs });
  } catch (err) {
    return { status: 'fail', details, ...connectAdvice(err as Error) };
  }
  details.push(`TCP connection to port 443 (${route.label}) in ${(performance.now() - started).toFixed(0)} ms.`);
  let socket;
  try {
    socket = await startTls(raw, target.trust, timeoutMs, route.label);
  } catch (err) {
    if (isDeviceError(err, 'TLS_UNTRUSTED')) {
      return {
        status: 'fail',
        summary: 'The board\'s certificate is not trusted.',
        details: [...details, (err as Error).message],
        nextAction: target.kind === 'simulator'
          ? 'Start the simulated board again so its announcement names its current CA, then run this again.'
          : 'Check that "Sphere Explorer › Device: Ca File" names this board\'s CA, or clear it to pin the board\'s certificate on first use.',
      };
    }
    return {
      status: 'fail',
      summary: `The TLS handshake failed: ${(err as Error).message}`,
      details,
      nextAction: 'Press the board\'s Reset button and run this again; if it fails the same way, reconnect the USB cable.',
    };
  }
  const chain = peerChain(socket);
  details.push(`TLS ${socket.getProtocol() ?? ''} handshake done in ${(performance.now() - started).toFixed(0)} ms.`, ...describeCertificate(chain));
  let deviceId: string;
  try {
    deviceId = await readDeviceIdOverSocket(socket, timeoutMs);
  } catch (err) {
    socket.destroy();
    return {
      status: 'fail',
      summary: `TLS works but the board did not say which device it is: ${(err as Error).message}`,
      details,
      nextAction: 'Press the board\'s Reset button and run this again.',
    };
  } finally {
    socket.destroy();
  }
  details.push(`Device ID reported by the board: ${deviceId}.`);
  if (target.deviceId && target.deviceId.toLowerCase() !== deviceId.toLowerCase()) {
    return {
      status: 'fail',
      summary: `A different board answers: device ${shortId(deviceId)}, expected ${shortId(target.deviceId)}.`,
      details,
      nextAction: 'Select the board you mean in the Devices view (or plug it in); this port leads to another one.',
      deviceId,
    };
  }
  if (target.trust.kind === 'ca') {
    return { status: 'pass', summary: `Certificate verified against ${target.trust.caLabel}; it is device ${shortId(deviceId)}`, details, deviceId };
  }
  const pin = await target.trust.store.get(deviceId);
  if (!pin) {
    return { status: 'pass', summary: `Not pinned yet: the certificate of device ${shortId(deviceId)} will be pinned when Sphere Explorer first connects.`, details, deviceId };
  }
  try {
    verifyPinnedChain(chain, pin, deviceId);
  } catch (err) {
    if (!isDeviceError(err, 'TLS_PIN_MISMATCH')) throw err;
    details.push(`Pinned ${pin.pinnedAt}: ${pin.subject.replace(/\n/g, ', ')}, SHA-256 ${pin.fingerprint256}.`);
    return {
      status: 'fail',
      summary: `The certificate of device ${shortId(deviceId)} changed since it was first trusted (pinned certificate changed).`,
      details,
      nextAction: 'If you recovered or replaced this board, forget its pinned certificate and connect again; if you did not, do not use it: something else answers as this board.',
      deviceId,
    };
  }
  return { status: 'pass', summary: `Certificate matches the one pinned for device ${shortId(deviceId)} on ${pin.pinnedAt.slice(0, 10)}.`, details, deviceId };
}
