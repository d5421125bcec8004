// Check 5: the device REST API over a verified connection: GET /status (uptime and REST-API-Version), then the
// security state and the OS version. A very short uptime says the board has just restarted.
import { DeviceConnection } from '../device-connection';
import { isDeviceError } from '../device-error';
import type { StreamConnector } from '../transport';
import { MemoryPinStore, type PinStore } from '../trust/pin-store';
import type { DoctorTarget } from './types';

/** An uptime below this means the board restarted moments ago. */
export const RECENT_RESTART_S = 60;

export interface RestCheckOutcome {
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  details: string[];
  nextAction?: string;
}

const BUSY_DEVICE_ERROR = 10485765;

/** The doctor only looks: a pin taken on first use during the check stays in memory, the user's pins are untouched. */
function lookOnly(store: PinStore): PinStore {
  const taken = new MemoryPinStore();
  return {
    get: async (id) => (await taken.get(id)) ?? store.get(id),
    set: (id, pin) => taken.set(id, pin),
    delete: (id) => taken.delete(id),
  };
}

/**
 * `answeredLate`: the board took over a second to answer on the line, so it was starting up while we checked. A short
 * uptime alone is no finding (a board just plugged in has one too).
 */
export async function checkRest(route: StreamConnector, target: DoctorTarget, deviceId: string | undefined, timeoutMs: number, answeredLate = false): Promise<RestCheckOutcome> {
  const options: ConstructorParameters<typeof DeviceConnection>[0] = {
    route,
    trust: target.trust.kind === 'pin' ? { kind: 'pin', store: lookOnly(target.trust.store) } : target.trust,
    connectTimeoutMs: timeoutMs,
    idleTimeoutMs: timeoutMs,
    maxAttempts: 2,
    retryBudgetMs: timeoutMs,
  };
  const id = deviceId ?? target.deviceId;
  if (id) options.deviceId = id;
  const connection = new DeviceConnection(options);
  const details: string[] = [];
  try {
    const status = await connection.client.getStatus();
    details.push(`GET /status: up ${status.uptimeSeconds} s, REST API version ${status.restApiVersion || 'not reported'}.`);
    const security = await connection.client.getSecurityState();
    details.push(`Security state: ${security.securityState}.`);
    const osVersion = await connection.client.getOsVersion().catch((err: unknown) => {
      if (isDeviceError(err, 'UNSUPPORTED')) return undefined;
      throw err;
    });
    details.push(`OS version: ${osVersion ?? 'not reported (REST API older than 4.5.0)'}.`);
    const facts = `REST API ${status.restApiVersion || '?'}, OS ${osVersion ?? 'unknown'}, ${security.securityState}`;
    if (answeredLate && status.uptimeSeconds < RECENT_RESTART_S) {
      return {
        status: 'warn',
        summary: `The board answers (${facts}) but restarted only ${status.uptimeSeconds} s ago, while it was being checked.`,
        details,
        nextAction: 'If you did not restart it, it reset by itself: check the USB cable and power supply, and run this again in a minute.',
      };
    }
    return { status: 'pass', summary: `The board answers: ${facts}, up ${formatUptime(status.uptimeSeconds)}.`, details };
  } catch (err) {
    if (isDeviceError(err) && err.deviceError === BUSY_DEVICE_ERROR) {
      return { status: 'fail', summary: 'The board is busy and refused the request.', details: [...details, err.message], nextAction: 'The board may be applying an OS update: wait a few minutes, then run this again.' };
    }
    return {
      status: 'fail',
      summary: `The REST API did not answer properly: ${(err as Error).message}`,
      details,
      nextAction: 'Press the board\'s Reset button, wait half a minute, then run this again.',
    };
  } finally {
    connection.dispose();
  }
}

function formatUptime(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
