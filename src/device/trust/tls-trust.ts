// TLS to a board, always verified: either against a CA (the simulator's CA from its announcement, or a CA file set in
// settings), or against a certificate pinned for the device ID on first use. Verification is never switched off: in
// pin mode the chain is checked by hand (signatures up to the pinned certificate) before any request is sent.
import { X509Certificate } from 'node:crypto';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { DeviceError } from '../device-error';
import { DEVICE_HOST_HEADER } from '../transport';
import type { CertificatePin, PinStore } from './pin-store';

export type TrustPolicy =
  /** Verify the chain against this CA and the name *.devices.sphere.azure.local. `caLabel` names it in errors. */
  | { kind: 'ca'; caPem: string | Buffer; caLabel: string }
  /** Trust on first use: pin the top certificate of the chain the board presents, per device ID. */
  | { kind: 'pin'; store: PinStore };

/** Node's name check with the vendor host name instead of the address we dialled (a wildcard name matches the cert's wildcard SAN). */
function checkDeviceHostName(_host: string, cert: tls.PeerCertificate): Error | undefined {
  return tls.checkServerIdentity(DEVICE_HOST_HEADER, cert);
}

/** Runs the TLS handshake over `raw`. In CA mode the result is fully verified; in pin mode the caller must verify with `verifyPinnedChain`. */
export function startTls(raw: Duplex, policy: TrustPolicy, timeoutMs: number, routeLabel: string): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const options: tls.ConnectionOptions =
      policy.kind === 'ca'
        ? { socket: raw, ca: policy.caPem, servername: '', checkServerIdentity: checkDeviceHostName }
        : // Pin mode: the chain ends in a board CA nobody has told us about yet, so OpenSSL cannot judge it;
          // verifyPinnedChain does, before the socket is used.
          { socket: raw, servername: '', rejectUnauthorized: false };
    const socket = tls.connect(options);
    abortTcpOnClose(raw);
    // Destroying the socket resets the stream under it, whose error then arrives here when nobody else listens any
    // more (a refused or idle connection): nothing to report then. Whoever uses the socket adds its own listener.
    socket.on('error', () => undefined);
    let settled = false;
    const timer = setTimeout(() => {
      fail(new DeviceError('TIMEOUT', `TLS handshake with the board (${routeLabel}) timed out after ${timeoutMs} ms.`));
    }, timeoutMs);
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('secureConnect', onSecure);
      socket.destroy();
      reject(err instanceof DeviceError ? err : classifyTlsError(err, policy, routeLabel));
    };
    // When TLS refuses the certificate it destroys itself, which resets the stream under it; that reset's error can
    // arrive first. Wait a turn so the refusal, which says what is wrong, is the error reported.
    let firstError: Error | undefined;
    const onError = (err: Error): void => {
      if (!firstError || (isAbandonment(firstError) && !isAbandonment(err))) firstError = err;
      setImmediate(() => fail(firstError!));
    };
    const onSecure = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(socket);
    };
    socket.once('secureConnect', onSecure);
    socket.on('error', onError);
  });
}

function isAbandonment(err: Error): boolean {
  return err.message === ABANDONED_MESSAGE;
}

/**
 * Closing the TLS connection resets the TCP connection under it instead of closing it gracefully: a graceful close
 * would still deliver a request we gave up on (its bytes sit in the TCP send queue), possibly after we re-read the
 * board's state and sent it again. TLS closes the stream with a plain destroy(); that destroy becomes an abortive one
 * (our TcpSocket sends RST, the OS route's wrapper resets its socket). Errors of the raw stream surface through TLS.
 */
const ABANDONED_MESSAGE = 'connection abandoned by the client';

function abortTcpOnClose(raw: Duplex): void {
  raw.on('error', () => undefined);
  const destroy = raw.destroy.bind(raw);
  raw.destroy = (err?: Error): Duplex =>
    destroy(err ?? Object.assign(new Error(ABANDONED_MESSAGE), { code: 'ECONNABORTED' }));
}

const VERIFY_ERROR_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function classifyTlsError(err: Error, policy: TrustPolicy, routeLabel: string): DeviceError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (VERIFY_ERROR_CODES.has(code) && policy.kind === 'ca') {
    return new DeviceError(
      'TLS_UNTRUSTED',
      `The board's certificate (${routeLabel}) is not trusted: ${err.message} (${code}). ` +
        `It was checked against ${policy.caLabel} and the name ${DEVICE_HOST_HEADER}.`,
      { cause: err },
    );
  }
  const linkDown = code === 'ELINKDOWN';
  return new DeviceError(
    linkDown ? 'LINK_DOWN' : 'CONNECTION_FAILED',
    `TLS connection to the board (${routeLabel}) failed: ${err.message}${code ? ` (${code})` : ''}`,
    { cause: err },
  );
}

/** The presented chain, leaf first, as X509Certificate objects (Node's detailed peer certificate links issuers). */
export function peerChain(socket: tls.TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  let current: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/** What to pin on first use: the top of the presented chain (the board's CA when it sends one), so leaf renewals keep working. */
export function pinFromChain(chain: X509Certificate[]): CertificatePin {
  const top = chain[chain.length - 1];
  if (!top) throw new DeviceError('TLS_UNTRUSTED', 'The board presented no certificate.');
  return { fingerprint256: top.fingerprint256, certificatePem: top.toString(), subject: top.subject, pinnedAt: new Date().toISOString() };
}

/**
 * Checks that the presented chain reaches the pinned certificate with valid signatures at every step. The handshake
 * itself already proved the board holds the leaf's private key.
 */
export function verifyPinnedChain(chain: X509Certificate[], pin: CertificatePin, deviceId: string): void {
  const pinnedIndex = chain.findIndex((cert) => cert.fingerprint256 === pin.fingerprint256);
  const linked =
    pinnedIndex >= 0 &&
    chain.slice(0, pinnedIndex).every((cert, i) => {
      const issuer = chain[i + 1]!;
      return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
    });
  if (!linked) {
    const now = chain[chain.length - 1]?.fingerprint256 ?? 'none';
    throw new DeviceError(
      'TLS_PIN_MISMATCH',
      `The certificate of device ${deviceId} has changed since it was first trusted ` +
        `(pinned ${pin.subject}, SHA-256 ${pin.fingerprint256}; now presented SHA-256 ${now}). ` +
        'Refusing to talk to it. If the board was legitimately recovered or replaced, remove the stored pin for this device and connect again.',
    );
  }
}
