// What recovery leaves on a board: the flash is rewritten, so everything stored there goes — Wi-Fi networks,
// certificates, applications and their staged images, capabilities, the proxy — and the board starts the OS of the
// recovered image set. The device ID and the e-fused states (security, manufacturing) are not in that flash.
import { initialBoardState, type PersistedBoardState } from './board-state';

export function factoryResetState(deviceId: string, before: Readonly<PersistedBoardState>, osVersion: string): PersistedBoardState {
  return {
    ...initialBoardState(deviceId),
    osVersion,
    securityState: before.securityState,
    manufacturingState: before.manufacturingState,
  };
}
