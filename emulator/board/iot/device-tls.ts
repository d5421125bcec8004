// The TLS side every connection of an IoT app shares: the device certificate chain (leaf, then tenant CA: IoT Hub
// and DPS ask for the full chain, learn.microsoft.com/azure/iot-hub/authenticate-authorize-x509) with the device key,
// and the CA the cloud's servers chain to. mqtt.js speaks the MQTT; these are its TLS options.
import type { IClientOptions } from 'mqtt';
import { hostAndPort } from './connection-settings';

export interface DeviceTlsIdentity {
  /** The device's private key (PKCS#8 PEM); it stays in this process. */
  keyPem: string;
  /** Leaf then tenant CA (PEM). */
  chainPem: string;
  /** The CA the hub's and DPS's server certificates chain to (undefined: Node's built-in roots, as for real Azure). */
  caPem: string | undefined;
}

/** mqtt.js options for MQTT 3.1.1 over TLS to `hostname` (host[:port], 8883 by default), with the device certificate. */
export function mqttTlsOptions(hostname: string, tls: DeviceTlsIdentity, connectTimeoutMs: number): IClientOptions {
  const { host, port } = hostAndPort(hostname);
  return {
    protocol: 'mqtts',
    host,
    port,
    protocolVersion: 4,
    key: tls.keyPem,
    cert: tls.chainPem,
    ...(tls.caPem !== undefined && { ca: tls.caPem }),
    rejectUnauthorized: true,
    connectTimeout: connectTimeoutMs,
    // The app decides when to try again (with backoff, and with a new certificate after renewal), not mqtt.js.
    reconnectPeriod: 0,
  };
}
