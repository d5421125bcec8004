// Starts simulated boards in throwaway folders for a test file and cleans everything up afterwards.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulatedBoard, type SimulatedBoard, type SimulatedBoardOptions } from '../../emulator/board';
import { restCall, type RestCall, type RestReply } from './rest-client';

/** Wi-Fi steps fast enough for unit tests, slow enough to observe every state. */
export const FAST_WIFI = { stepMs: 15, dhcpMs: 20, retryMs: 60_000 };

export class BoardFixture {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'board-sim-test-'));
  readonly registryDir = path.join(this.root, 'registry');
  private readonly boards = new Set<SimulatedBoard>();

  /** A board with its own state folder (reused when `stateName` repeats) and a loopback REST door. */
  async start(stateName = 'board', extra: Partial<SimulatedBoardOptions> = {}): Promise<SimulatedBoard> {
    const board = await startSimulatedBoard({
      linkPath: path.join(this.root, `tty-${stateName}`),
      stateDir: path.join(this.root, `state-${stateName}`),
      registryDir: this.registryDir,
      loopbackPort: 0,
      wifiTiming: FAST_WIFI,
      restartDownMs: 200,
      ...extra,
    });
    this.boards.add(board);
    return board;
  }

  async stop(board: SimulatedBoard): Promise<void> {
    await board.stop();
    this.boards.delete(board);
  }

  async cleanup(): Promise<void> {
    await Promise.all([...this.boards].map((b) => b.stop()));
    this.boards.clear();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** REST over the board's loopback door, trusting only the board's CA. */
export function callBoard(board: SimulatedBoard, call: RestCall): Promise<RestReply> {
  const door = board.loopback;
  if (!door) throw new Error('The board was started without a loopback door');
  return restCall(() => net.connect(door.port, door.host), board.caCertPem, call);
}

export const get = (board: SimulatedBoard, path: string): Promise<RestReply> => callBoard(board, { method: 'GET', path });

/** Polls `probe` until it returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
