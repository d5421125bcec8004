// A hub's device side over MQTT, as learn.microsoft.com/azure/iot/iot-mqtt-connect-to-iot-hub describes it:
// client ID = device ID, username `{hub host name}/{device ID}/?api-version=…`, no password with X.509 (a SAS token
// for sas devices); a second connection with the same ID drops the first (aedes's takeover, MQTT-3.1.4-2).
// Devices may publish only device-to-cloud messages on `devices/{id}/messages/events/…` (QoS 0 or 1), twin requests
// and method responses, and subscribe only to their own cloud-to-device topic, twin replies and desired-property
// patches, and method requests. A twin GET is answered with the twin (empty desired properties, the reported ones
// the device patched in), so SDK clients that ask for it do not hang.
import type { TLSSocket } from 'node:tls';
import type { Aedes, AedesPublishPacket, Client, PublishPacket, Subscription } from 'aedes' with { 'resolution-mode': 'import' };
import type { Clock } from '../../common/clock';
import type { Store } from '../store';
import { checkDeviceChain, checkValidity, peerCertificateChain, uploadedCas } from './certificate-chain';
import type { HubActivity } from './hub-activity';
import { createBroker, decodePropertyBag, replyTo, topicQuery } from './mqtt-broker';
import { checkSignature, parseSas } from './sas-token';
import { sha1Thumbprint, sha256Thumbprint } from './x509';

export interface HubMqttOptions {
  hubKey: string;
  hubName: string;
  /** `127.0.0.1:<port>`; known once the port is. */
  hostName(): string;
  store: Store;
  activity: HubActivity;
  clock: Clock;
  log?: (line: string) => void;
}

export interface HubMqtt {
  handle(socket: TLSSocket): void;
  /** Drops a device's connection (its identity was deleted or disabled), as the hub does. */
  disconnect(deviceId: string): void;
  close(): Promise<void>;
}

const TWIN_PREFIX = '$iothub/twin/';

export async function createHubMqtt(opts: HubMqttOptions): Promise<HubMqtt> {
  const { store, activity, hubKey } = opts;
  const connected = new Map<string, Client>();
  const refuse = (client: Client, reason: string, done: (err: null, ok: boolean) => void): void => {
    opts.log?.(`${opts.hubName}: refused MQTT connection of '${client.id}': ${reason}`);
    done(null, false);
  };

  /** Why this client may not connect as `deviceId`, or undefined when it may. */
  const refusal = (client: Client, username: string | undefined, password: Buffer | undefined): string | undefined => {
    const deviceId = client.id;
    const prefix = `${opts.hostName()}/${deviceId}/`.toLowerCase();
    const localhostPrefix = prefix.replace(/^127\.0\.0\.1:/, 'localhost:');
    const user = (username ?? '').toLowerCase();
    if (!user.startsWith(prefix) && !user.startsWith(localhostPrefix)) return `the username must start with '${opts.hostName()}/${deviceId}/'`;
    const device = store.state.iot.devicesOf(hubKey).get(deviceId);
    if (!device) return `no device identity '${deviceId}' is registered on this hub`;
    if (device.status !== 'enabled') return 'the device identity is disabled';
    const socket = client.conn as TLSSocket;
    const now = opts.clock.now();
    switch (device.authentication.type) {
      case 'certificateAuthority': {
        const verdict = checkDeviceChain(peerCertificateChain(socket), uploadedCas(store, hubKey), now, deviceId);
        return verdict.ok ? undefined : verdict.reason;
      }
      case 'selfSigned': {
        const chain = peerCertificateChain(socket);
        const leaf = chain[0];
        if (!leaf) return 'the device presented no client certificate';
        const { primaryThumbprint, secondaryThumbprint } = device.authentication.x509Thumbprint;
        const prints = [sha1Thumbprint(leaf), sha256Thumbprint(leaf)];
        if (!prints.some((p) => p === primaryThumbprint || p === secondaryThumbprint)) return "the certificate's thumbprint is not the device identity's";
        return checkValidity([leaf], now);
      }
      case 'sas': {
        const fields = parseSas(password?.toString('utf8'));
        if (typeof fields === 'string') return fields;
        const { primaryKey, secondaryKey } = device.authentication.symmetricKey;
        const keys = [primaryKey, secondaryKey].filter((k): k is string => k !== null);
        return checkSignature(fields, `${opts.hostName()}/devices/${deviceId}`, keys, now);
      }
      case 'none':
        return 'the device identity has authentication type none';
    }
  };

  const mayPublish = (deviceId: string, topic: string): boolean =>
    topic.startsWith(`devices/${deviceId}/messages/events/`) ||
    topic === `devices/${deviceId}/messages/events` ||
    topic.startsWith(`${TWIN_PREFIX}GET/`) ||
    topic.startsWith(`${TWIN_PREFIX}PATCH/properties/reported/`) ||
    topic.startsWith('$iothub/methods/res/');

  const maySubscribe = (deviceId: string, topic: string): boolean =>
    [`devices/${deviceId}/messages/devicebound/#`, `${TWIN_PREFIX}res/#`, `${TWIN_PREFIX}PATCH/properties/desired/#`, '$iothub/methods/POST/#'].includes(topic);

  const broker: Aedes = await createBroker({
    authenticate: (client, username, password, done) => {
      let reason: string | undefined;
      try {
        reason = refusal(client, username ?? undefined, password ?? undefined);
      } catch (err) {
        reason = `internal error in the emulator: ${(err as Error).message}`;
      }
      if (reason) refuse(client, reason, done);
      else done(null, true);
    },
    authorizePublish: (client: Client | null, packet: PublishPacket, done) => {
      if (!client) return done(new Error('no publishing without a device'));
      // IoT Hub does not support QoS 2 and closes the connection (iot-mqtt-connect-to-iot-hub#sending-device-to-cloud-messages).
      if (packet.qos === 2) return done(new Error('QoS 2 is not supported'));
      if (!mayPublish(client.id, packet.topic)) {
        opts.log?.(`${opts.hubName}: closed '${client.id}': publishing to '${packet.topic.split('?')[0]}' is not allowed`);
        return done(new Error('topic not allowed'));
      }
      done(null);
    },
    authorizeSubscribe: (client: Client, subscription: Subscription, done) => {
      // A refused subscription is answered 0x80 in SUBACK (MQTT-3.8.4-5) and the connection stays.
      done(null, maySubscribe(client.id, subscription.topic) ? subscription : null);
    },
  });

  broker.on('clientReady', (client: Client) => {
    connected.set(client.id, client);
    activity.connected(client.id);
  });
  broker.on('clientDisconnect', (client: Client) => {
    if (connected.get(client.id) !== client) return;
    connected.delete(client.id);
    activity.disconnected(client.id);
  });
  broker.on('ping', (_packet, client: Client) => activity.touched(client.id));
  broker.on('publish', (packet: AedesPublishPacket, client: Client | null) => {
    if (!client || connected.get(client.id) !== client) return;
    const deviceId = client.id;
    activity.touched(deviceId);
    const topic = packet.topic;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const events = `devices/${deviceId}/messages/events`;
    if (topic.startsWith(events)) {
      activity.telemetry(deviceId, decodePropertyBag(topic.slice(events.length).replace(/^\//, '')), payload);
      return;
    }
    const rid = topicQuery(topic).get('$rid') ?? '';
    if (topic.startsWith(`${TWIN_PREFIX}GET/`)) {
      const reported = activity.reportedOf(deviceId);
      replyTo(client, `${TWIN_PREFIX}res/200/?$rid=${encodeURIComponent(rid)}`, JSON.stringify({ desired: { $version: 1 }, reported: { ...reported.properties, $version: reported.version } }));
    } else if (topic.startsWith(`${TWIN_PREFIX}PATCH/properties/reported/`)) {
      let patch: unknown;
      try {
        patch = JSON.parse(payload.toString('utf8'));
      } catch {
        patch = undefined;
      }
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
        replyTo(client, `${TWIN_PREFIX}res/400/?$rid=${encodeURIComponent(rid)}`, JSON.stringify({ message: 'The reported properties patch must be a JSON object.' }));
        return;
      }
      const version = activity.patchReported(deviceId, patch as Record<string, unknown>);
      replyTo(client, `${TWIN_PREFIX}res/204/?$rid=${encodeURIComponent(rid)}&$version=${version}`, '');
    }
  });

  return {
    handle: (socket) => {
      broker.handle(socket);
    },
    disconnect: (deviceId) => connected.get(deviceId)?.close(),
    close: () => new Promise<void>((resolve) => broker.close(() => resolve())),
  };
}
