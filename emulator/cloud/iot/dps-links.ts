// What ties a DPS to the rest of the emulator: its ID scope (stable per DPS, derived from its key, so it survives
// restarts and is the same in every state folder for the seeded DPS) and the IoT hubs linked to it — in the emulator,
// every IoT hub of the DPS's subscription, as if each had been linked in the portal
// (learn.microsoft.com/azure/iot-dps/how-to-manage-linked-iot-hubs).
import { createHash } from 'node:crypto';
import type { State } from '../model';

/** `0ne` and 8 upper-case hex digits, the form of Azure's ID scopes (e.g. `0ne000A1B2C`). */
export function idScopeFor(dpsKey: string): string {
  return `0ne${createHash('sha256').update(dpsKey).digest('hex').slice(0, 8).toUpperCase()}`;
}

/** Hub keys of the IoT hubs linked to the DPS `dpsKey`, in the order the state lists them. */
export function linkedHubKeys(state: State, dpsKey: string): string[] {
  const dps = state.hubs.get(dpsKey);
  if (!dps) return [];
  return [...state.hubs.entries()].filter(([, h]) => h.kind === 'IotHubs' && h.subscriptionId === dps.subscriptionId).map(([key]) => key);
}
