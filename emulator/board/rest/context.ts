// What the REST handlers may use of the running board.
import type { BoardStateStore } from '../board-state';
import type { WifiStation } from '../wifi-station';

export interface BoardContext {
  deviceId: string;
  store: BoardStateStore;
  station: WifiStation;
  uptimeSeconds(): number;
  /** Reboots the board once the current response has gone out. */
  requestRestart(): void;
  /** An unexpired daily device certificate by the board's clock, online, time synced (device-auth/daily-attestation.ts). */
  deviceAuthReady(): boolean;
}
