// A simulated board in a temporary folder, and doctor targets for it, for the doctor's tests.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulatedBoard, type SimulatedBoard, type SimulatedBoardOptions } from '../../emulator/board';
import type { CheckId, CheckResult, DoctorOptions, DoctorTarget } from '../../src/device/diagnosis';
import { MemoryPinStore, type PinStore } from '../../src/device/trust/pin-store';

export interface DoctorSim {
  dir: string;
  board: SimulatedBoard;
  start(extra?: Partial<SimulatedBoardOptions>): Promise<SimulatedBoard>;
  /** A target as the extension builds one for this simulated board (CA trust from its announcement). */
  caTarget(): DoctorTarget;
  /** A target as for a real board: certificate pinned on first use in `store`. */
  pinTarget(store: PinStore): DoctorTarget;
  close(): Promise<void>;
}

export async function startDoctorSim(options: Partial<SimulatedBoardOptions> = {}): Promise<DoctorSim> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'doctor-sim-'));
  const base = { linkPath: path.join(dir, 'tty-board'), stateDir: path.join(dir, 'state'), registryDir: path.join(dir, 'registry'), ...options };
  const sim: DoctorSim = {
    dir,
    board: await startSimulatedBoard(base),
    async start(extra = {}) {
      sim.board = await startSimulatedBoard({ ...base, ...extra });
      return sim.board;
    },
    caTarget: () => ({
      name: sim.board.name,
      kind: 'simulator',
      portPath: sim.board.linkPath,
      baudRate: options.baud ?? 921600,
      rtscts: false,
      deviceId: sim.board.deviceId,
      trust: { kind: 'ca', caPem: sim.board.caCertPem, caLabel: "the simulator's CA" },
    }),
    pinTarget: (store) => ({
      name: 'MT3620 board',
      kind: 'explicit',
      portPath: sim.board.linkPath,
      baudRate: options.baud ?? 921600,
      rtscts: false,
      trust: { kind: 'pin', store },
    }),
    async close() {
      await sim.board.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  return sim;
}

export { MemoryPinStore };

/** Quick options: no real port listing (the sim is a pty), no vendor service, an empty routing table. */
export function quickOptions(extra: Partial<DoctorOptions> = {}): DoctorOptions {
  return {
    listPorts: async () => [],
    lineWaitMs: 1_500,
    vendorServiceUrl: 'http://127.0.0.1:9',
    readRoutes: async () => 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n',
    networkInterfaces: () => ({}),
    platform: 'linux',
    ...extra,
  };
}

export function byId(results: CheckResult[]): Record<CheckId, CheckResult> {
  return Object.fromEntries(results.map((r) => [r.id, r])) as Record<CheckId, CheckResult>;
}
