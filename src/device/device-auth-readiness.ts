// Why a board has no daily device certificate yet, in the order a person would fix it. A board gets the certificate
// it authenticates to IoT Hub with (valid 24 hours) from the Azure Sphere Security Service once it is claimed, online
// and its clock is synced (learn.microsoft.com/azure-sphere/deployment/certificate-use-with-azure-sphere), and
// `GET /net/status` says whether it has one (`deviceAuthenticationIsReady`).
import type { NetworkStatus } from './rest/types';

export interface DeviceAuthFacts {
  readonly status: NetworkStatus;
  /** Whether the board is claimed into a tenant (undefined: unknown, e.g. not signed in). */
  readonly claimed: boolean | undefined;
  /** Whether any network interface reaches the internet. */
  readonly online: boolean;
}

export type DeviceAuthReadiness = { readonly ready: true } | { readonly ready: false; readonly reason: string; readonly nextStep: 'claim' | 'wifi' | 'wait' };

export function deviceAuthReadiness(facts: DeviceAuthFacts): DeviceAuthReadiness {
  if (facts.status.deviceAuthenticationIsReady) return { ready: true };
  if (facts.claimed === false) {
    return { ready: false, reason: 'the board is not claimed into a tenant, and only a claimed board gets a device certificate', nextStep: 'claim' };
  }
  if (!facts.online) {
    return { ready: false, reason: 'the board is not connected to the internet (set up its Wi-Fi); it gets its certificate online', nextStep: 'wifi' };
  }
  if (facts.status.networkTimeSync !== 'complete') {
    return { ready: false, reason: "the board's clock is not synced yet (it syncs over the internet, usually within a minute)", nextStep: 'wait' };
  }
  return { ready: false, reason: 'the board has not received its daily device certificate from the Azure Sphere Security Service yet (it asks once it is online)', nextStep: 'wait' };
}
