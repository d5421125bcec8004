// Device registration with the Device Provisioning Service over MQTT, as learn.microsoft.com/azure/iot-dps/iot-dps-mqtt-support
// describes it: client ID = registration ID (for an X.509 device, its certificate's CN: the lower-case device ID),
// user name `{idScope}/registrations/{registrationId}/api-version=2019-03-31`, no password; subscribe to
// `$dps/registrations/res/#`, publish the registration to `$dps/registrations/PUT/iotdps-register/?$rid={rid}`,
// then poll `$dps/registrations/GET/iotdps-get-operationstatus/?$rid={rid}&operationId={id}` after each answer's
// `retry-after` until the registration is assigned to a hub. Sessions are never persistent (clean session).
import { connect } from 'mqtt';
import { mqttTlsOptions, type DeviceTlsIdentity } from './device-tls';
import { IotFailure, iotFailureFrom } from './iot-failure';

export const DPS_API_VERSION = '2019-03-31';

export interface DpsAssignment {
  /** The hub's host name as DPS gives it (host[:port]). */
  assignedHub: string;
  deviceId: string;
}

export interface DpsRegistrationRequest {
  /** host[:port] of the global device endpoint (global.azure-devices-provisioning.net) or a stand-in. */
  provisioningHost: string;
  idScope: string;
  registrationId: string;
  tls: DeviceTlsIdentity;
  /** The whole registration, connect to assignment. */
  timeoutMs?: number;
}

const RESPONSE_TOPIC = /^\$dps\/registrations\/res\/(\d{3})\/\?(.*)$/;

interface RegistrationOperation {
  operationId?: unknown;
  status?: unknown;
  registrationState?: { assignedHub?: unknown; deviceId?: unknown; errorMessage?: unknown; status?: unknown };
  message?: unknown;
  errorCode?: unknown;
}

function parse(payload: Buffer): RegistrationOperation {
  try {
    const value = JSON.parse(payload.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as RegistrationOperation) : {};
  } catch {
    return {};
  }
}

/** Seconds from `retry-after`, kept within reason so neither a missing nor a silly value stalls the board. */
function retryAfterMs(query: URLSearchParams): number {
  const seconds = Number(query.get('retry-after') ?? '2');
  return Math.min(30_000, Math.max(50, Number.isFinite(seconds) ? seconds * 1000 : 2000));
}

export function registerWithDps(request: DpsRegistrationRequest): Promise<DpsAssignment> {
  const peer = `DPS ${request.provisioningHost}`;
  const timeoutMs = request.timeoutMs ?? 60_000;
  const client = connect({
    ...mqttTlsOptions(request.provisioningHost, request.tls, Math.min(timeoutMs, 30_000)),
    clientId: request.registrationId,
    username: `${request.idScope}/registrations/${request.registrationId}/api-version=${DPS_API_VERSION}`,
    clean: true,
  });
  return new Promise<DpsAssignment>((resolve, reject) => {
    let settled = false;
    let rid = 0;
    let pollTimer: NodeJS.Timeout | undefined;
    const finish = (error: IotFailure | undefined, assignment?: DpsAssignment): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(pollTimer);
      client.end(true);
      if (error) reject(error);
      else resolve(assignment!);
    };
    const deadline = setTimeout(() => finish(new IotFailure(`${peer} did not assign a hub within ${timeoutMs / 1000} s`, false)), timeoutMs);
    const publish = (topic: string, body: string): void => {
      client.publish(topic, body, { qos: 1 }, (error) => {
        if (error) finish(iotFailureFrom(error, peer));
      });
    };
    const register = (): void => publish(`$dps/registrations/PUT/iotdps-register/?$rid=${++rid}`, JSON.stringify({ registrationId: request.registrationId }));
    const poll = (operationId: string): void =>
      publish(`$dps/registrations/GET/iotdps-get-operationstatus/?$rid=${++rid}&operationId=${encodeURIComponent(operationId)}`, '');

    client.on('error', (error) => finish(iotFailureFrom(error, peer)));
    client.on('close', () => finish(new IotFailure(`${peer} closed the connection before assigning a hub`, false)));
    client.on('connect', () => {
      client.subscribe('$dps/registrations/res/#', { qos: 1 }, (error) => (error ? finish(iotFailureFrom(error, peer)) : register()));
    });
    client.on('message', (topic, payload) => {
      const match = RESPONSE_TOPIC.exec(topic);
      if (!match) return;
      const status = Number(match[1]);
      const query = new URLSearchParams(match[2]);
      if (query.get('$rid') !== String(rid)) return; // an answer to an earlier request
      const body = parse(payload);
      if (status === 429 || status >= 500) {
        pollTimer = setTimeout(() => (typeof body.operationId === 'string' ? poll(body.operationId) : register()), retryAfterMs(query));
        return;
      }
      if (status >= 300) {
        const message = typeof body.message === 'string' ? body.message.slice(0, 300) : '';
        finish(new IotFailure(`${peer} refused the registration: ${status}${body.errorCode !== undefined ? ` (${String(body.errorCode)})` : ''} ${message}`.trim(), true));
        return;
      }
      const state = body.registrationState;
      switch (body.status) {
        case 'assigned':
          if (typeof state?.assignedHub !== 'string' || typeof state.deviceId !== 'string') {
            finish(new IotFailure(`${peer} assigned the device but named no hub or device ID`, false));
          } else {
            finish(undefined, { assignedHub: state.assignedHub, deviceId: state.deviceId });
          }
          return;
        case 'assigning':
        case 'unassigned':
          if (typeof body.operationId !== 'string') {
            finish(new IotFailure(`${peer} answered ${String(body.status)} without an operationId`, false));
            return;
          }
          pollTimer = setTimeout(() => poll(body.operationId as string), retryAfterMs(query));
          return;
        default: {
          const why = typeof state?.errorMessage === 'string' ? `: ${state.errorMessage.slice(0, 300)}` : '';
          finish(new IotFailure(`${peer} did not assign the device (status ${String(body.status)})${why}`, true));
        }
      }
    });
  });
}
