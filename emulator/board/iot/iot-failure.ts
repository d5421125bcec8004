// Why an app's cloud connection failed, and whether the service refused it (credentials, registration: retrying soon
// will not help, so the app waits longer and the board reports `refused`) or the attempt merely broke (network,
// timeout: retried sooner).

export class IotFailure extends Error {
  constructor(
    message: string,
    /** The hub or DPS said no (CONNACK refusal, a DPS 4xx, a rejected client certificate). */
    readonly refused: boolean,
  ) {
    super(message);
    this.name = 'IotFailure';
  }
}

/** MQTT 3.1.1 CONNACK return codes (OASIS MQTT 3.1.1 §3.2.2.3). */
const CONNACK_REFUSALS: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

/** An error from mqtt.js or the TLS socket under it, as an IotFailure that says what happened. */
export function iotFailureFrom(error: unknown, peer: string): IotFailure {
  if (error instanceof IotFailure) return error;
  const err = error as Error & { code?: unknown };
  if (typeof err.code === 'number' && CONNACK_REFUSALS[err.code] !== undefined) {
    // 3 (server unavailable) is the hub's trouble, not ours: worth a sooner retry.
    return new IotFailure(`${peer} refused the connection: ${CONNACK_REFUSALS[err.code]} (CONNACK ${err.code})`, err.code !== 3);
  }
  const text = String(err.message ?? error);
  // A TLS alert from the peer during the handshake: it did not accept the certificate the board presented.
  if (/alert (bad certificate|certificate unknown|unknown ca|certificate required|access denied|handshake failure)/i.test(text)) {
    return new IotFailure(`${peer} rejected the device certificate (${text})`, true);
  }
  return new IotFailure(`${peer}: ${text}`, false);
}
