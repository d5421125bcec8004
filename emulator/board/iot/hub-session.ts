// One MQTT connection from a device to IoT Hub with its X.509 certificate, as
// learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub describes it: MQTT 3.1.1 over TLS, client ID = the device
// ID, user name `{hub host}/{device ID}/?api-version=2021-04-12`, no password (the certificate authenticates), and
// device-to-cloud messages published to `devices/{device ID}/messages/events/{property bag}` at QoS 1.
import { connect, type MqttClient } from 'mqtt';
import { mqttTlsOptions, type DeviceTlsIdentity } from './device-tls';
import { IotFailure, iotFailureFrom } from './iot-failure';

export const HUB_API_VERSION = '2021-04-12';
/** Content type and encoding of the JSON body, as system properties (`$.ct`, `$.ce`) in the topic's property bag. */
export const TELEMETRY_PROPERTIES = '$.ct=application%2Fjson&$.ce=utf-8';

export interface HubSessionRequest {
  /** The hub's host name as the app names it or DPS assigned it (host[:port]). */
  hostname: string;
  deviceId: string;
  tls: DeviceTlsIdentity;
  connectTimeoutMs?: number;
}

export class HubSession {
  /** Resolves when the connection ends, with why (undefined when this side closed it). */
  readonly ended: Promise<IotFailure | undefined>;
  private closing = false;

  private constructor(
    private readonly client: MqttClient,
    private readonly deviceId: string,
    private readonly peer: string,
  ) {
    this.ended = new Promise((resolve) => {
      let lastError: IotFailure | undefined;
      client.on('error', (error) => {
        lastError = iotFailureFrom(error, peer);
      });
      client.on('close', () => resolve(this.closing ? undefined : (lastError ?? new IotFailure(`${peer} closed the connection`, false))));
    });
  }

  /** Connects; rejects with an IotFailure when the hub refuses or cannot be reached. */
  static open(request: HubSessionRequest): Promise<HubSession> {
    const peer = `IoT hub ${request.hostname}`;
    const client = connect({
      ...mqttTlsOptions(request.hostname, request.tls, request.connectTimeoutMs ?? 30_000),
      clientId: request.deviceId,
      username: `${request.hostname}/${request.deviceId}/?api-version=${HUB_API_VERSION}`,
      // As Microsoft's device SDKs connect: a persistent session, so cloud-to-device messages wait for the device.
      clean: false,
      keepalive: 180,
    });
    // An 'error' with no listener would throw; whoever listens below reports it.
    client.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      let settled = false;
      const failed = (error: unknown): void => {
        if (settled) return;
        settled = true;
        client.removeListener('connect', connected);
        client.end(true);
        reject(iotFailureFrom(error, peer));
      };
      const closed = (): void => failed(new IotFailure(`${peer} closed the connection while connecting`, false));
      const connected = (): void => {
        settled = true;
        client.removeListener('error', failed);
        client.removeListener('close', closed);
        resolve(new HubSession(client, request.deviceId, peer));
      };
      client.once('connect', connected);
      client.once('error', failed);
      client.once('close', closed);
    });
  }

  /** Publishes one device-to-cloud message with a JSON body; resolves once the hub acknowledged it (QoS 1). */
  sendTelemetry(body: unknown): Promise<void> {
    const topic = `devices/${this.deviceId}/messages/events/${TELEMETRY_PROPERTIES}`;
    return new Promise((resolve, reject) => {
      this.client.publish(topic, JSON.stringify(body), { qos: 1 }, (error) => (error ? reject(iotFailureFrom(error, this.peer)) : resolve()));
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.client.endAsync(true);
  }
}
