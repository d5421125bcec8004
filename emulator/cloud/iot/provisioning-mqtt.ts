// The device side of DPS over MQTT on the global provisioning endpoint (learn.microsoft.com/azure/iot-dps/iot-dps-mqtt-support):
// client ID = registration ID, username `{idScope}/registrations/{registrationId}/api-version=…`; the device
// subscribes to `$dps/registrations/res/#`, publishes `$dps/registrations/PUT/iotdps-register/?$rid={rid}` to
// register and `$dps/registrations/GET/iotdps-get-operationstatus/?$rid={rid}&operationId={id}` to poll, and gets
// `$dps/registrations/res/{status}/?$rid={rid}[&retry-after=…]` back with the same JSON as over HTTPS. The
// certificate chain is judged when it registers, so a refusal arrives as a 401 reply the SDKs report.
import type { TLSSocket } from 'node:tls';
import type { Aedes, AedesPublishPacket, Client, PublishPacket, Subscription } from 'aedes' with { 'resolution-mode': 'import' };
import type { Clock } from '../../common/clock';
import type { Store } from '../store';
import { peerCertificateChain } from './certificate-chain';
import { DpsError, DpsErrorCode, dpsErrorBody } from './dps-errors';
import type { DpsRegistrar } from './dps-registration';
import { createBroker, replyTo, topicQuery } from './mqtt-broker';
import { RETRY_AFTER_SEC } from './provisioning-device-api';

const REGISTER = '$dps/registrations/PUT/iotdps-register/';
const OPERATION_STATUS = '$dps/registrations/GET/iotdps-get-operationstatus/';
const RESPONSES = '$dps/registrations/res/#';

export interface ProvisioningMqttOptions {
  registrar: DpsRegistrar;
  store: Store;
  clock: Clock;
  dpsKeyByIdScope(idScope: string): string | undefined;
  log?: (line: string) => void;
}

export interface ProvisioningMqtt {
  handle(socket: TLSSocket): void;
  close(): Promise<void>;
}

export async function createProvisioningMqtt(opts: ProvisioningMqttOptions): Promise<ProvisioningMqtt> {
  /** The DPS each connected client registers with, from its username. */
  const dpsOf = new WeakMap<Client, string>();

  const reply = (client: Client, status: number, rid: string, body: unknown, retryAfter = false): void => {
    replyTo(client, `$dps/registrations/res/${status}/?$rid=${encodeURIComponent(rid)}${retryAfter ? `&retry-after=${RETRY_AFTER_SEC}` : ''}`, JSON.stringify(body));
  };

  const answer = async (client: Client, packet: AedesPublishPacket): Promise<void> => {
    const query = topicQuery(packet.topic);
    const rid = query.get('$rid') ?? '';
    const dpsKey = dpsOf.get(client);
    try {
      if (!dpsKey) throw new DpsError(401, DpsErrorCode.Unauthorized, 'Unauthorized: the connection names no DPS.');
      if (packet.topic.startsWith(REGISTER)) {
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        let body: unknown = {};
        if (payload.length > 0) {
          try {
            body = JSON.parse(payload.toString('utf8'));
          } catch {
            throw new DpsError(400, DpsErrorCode.BadRequest, 'The registration request body is not valid JSON.');
          }
        }
        const named = (body as { registrationId?: unknown } | null)?.registrationId;
        if (named !== undefined && named !== client.id) throw new DpsError(400, DpsErrorCode.BadRequest, 'The registrationId in the body is not the MQTT client ID.');
        const operation = await opts.registrar.register(dpsKey, client.id, peerCertificateChain(client.conn as TLSSocket));
        await opts.store.durable();
        reply(client, 202, rid, { operationId: operation.operationId, status: 'assigning' }, true);
      } else {
        const operationId = query.get('operationId') ?? '';
        const operation = opts.registrar.operation(operationId);
        if (!operation || operation.dpsKey !== dpsKey || operation.registrationId !== client.id) {
          throw new DpsError(404, DpsErrorCode.OperationNotFound, `Operation '${operationId}' was not found for registration '${client.id}'.`);
        }
        reply(client, 200, rid, opts.registrar.operationStatus(operation));
      }
    } catch (err) {
      if (!(err instanceof DpsError)) opts.log?.(`provisioning endpoint: internal error answering '${client.id}': ${(err as Error).message}`);
      const e = err instanceof DpsError ? err : new DpsError(500, DpsErrorCode.InternalServerError, 'Internal server error in the cloud emulator.');
      reply(client, e.status, rid, dpsErrorBody(e, opts.clock.now()));
    }
  };

  const broker: Aedes = await createBroker({
    authenticate: (client, username, _password, done) => {
      const match = /^([^/]+)\/registrations\/([^/]+)\/api-version=/.exec(username ?? '');
      const dpsKey = match ? opts.dpsKeyByIdScope(match[1]!) : undefined;
      let reason: string | undefined;
      if (!match) reason = "the username must be '{idScope}/registrations/{registrationId}/api-version=…'";
      else if (match[2] !== client.id) reason = 'the username names another registration ID than the client ID';
      else if (!dpsKey) reason = `no DPS has the ID scope '${match[1]!}'`;
      if (reason) {
        opts.log?.(`provisioning endpoint: refused MQTT connection of '${client.id}': ${reason}`);
        return done(null, false);
      }
      dpsOf.set(client, dpsKey!);
      done(null, true);
    },
    authorizePublish: (client: Client | null, packet: PublishPacket, done) => {
      if (client && (packet.topic.startsWith(REGISTER) || packet.topic.startsWith(OPERATION_STATUS)) && packet.qos !== 2) return done(null);
      done(new Error('topic not allowed'));
    },
    authorizeSubscribe: (_client: Client, subscription: Subscription, done) => done(null, subscription.topic === RESPONSES ? subscription : null),
  });
  broker.on('publish', (packet: AedesPublishPacket, client: Client | null) => {
    if (client && dpsOf.has(client)) void answer(client, packet);
  });

  return {
    handle: (socket) => {
      broker.handle(socket);
    },
    close: () => new Promise<void>((resolve) => broker.close(() => resolve())),
  };
}
