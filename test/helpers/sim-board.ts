// A board simulator on a real pty pair, and our client on the other end through serialport, the SLIP stack and TLS
// verified against the simulator's CA. Everything is torn down by `close()`.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulatedBoard, type SimulatedBoard, type SimulatedBoardOptions } from '../../emulator/board/simulated-board';
import { writeCapabilityImage } from '../../emulator/common/image-package-writer';
import { applyCapabilityImage } from '../../src/device/apps';
import { DeviceConnection, type DeviceConnectionOptions } from '../../src/device/device-connection';
import { recordingLogger } from './recording-logger';
import { SerialRoute } from '../../src/device/serial-route';
import type { StreamConnector } from '../../src/device/transport';

export interface SimHarness {
  dir: string;
  board: SimulatedBoard;
  route: SerialRoute;
  connection: DeviceConnection;
  logs: string[];
  close(): Promise<void>;
}


export async function startSimHarness(
  options: Partial<Omit<SimulatedBoardOptions, 'linkPath' | 'stateDir'>> = {},
  connectionOptions: Partial<DeviceConnectionOptions> = {},
  /** Puts something between the client and the serial route (e.g. to lose chosen bytes). */
  wrapRoute: (route: StreamConnector) => StreamConnector = (route) => route,
): Promise<SimHarness> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'device-sim-'));
  const board = await startSimulatedBoard({
    linkPath: path.join(dir, 'tty-board'),
    stateDir: path.join(dir, 'state'),
    registryDir: path.join(dir, 'registry'),
    wifiTiming: {},
    ...options,
  });
  const logs: string[] = [];
  const logger = recordingLogger(logs);
  const route = new SerialRoute({ path: board.linkPath, baudRate: options.baud ?? 921600, rtscts: false, logger });
  const connection = new DeviceConnection({
    route: wrapRoute(route),
    trust: { kind: 'ca', caPem: board.caCertPem, caLabel: `the simulator's CA (${board.caCertPath})` },
    deviceId: board.deviceId,
    logger,
    ...connectionOptions,
  });
  const harness: SimHarness = {
    dir,
    board,
    route,
    connection,
    logs,
    close: async () => {
      harness.connection.dispose();
      await route.close();
      await board.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * Gives the simulated board the appDevelopment capability (11) as `azsphere device enable-development` does: a
 * capability file for this board, staged and installed through our client; the board restarts to apply it. Resolves
 * once it answers again. Start the harness with a short `restartDownMs` to keep this quick.
 */
export async function enableAppDevelopment(sim: SimHarness, timeoutMs = 15_000): Promise<void> {
  const file = writeCapabilityImage({ deviceId: sim.board.deviceId, capabilities: [11] });
  const update = await applyCapabilityImage(sim.connection.client, file, { restartTimeoutMs: timeoutMs });
  if (!update.capabilities.includes(11)) throw new Error(`the board reports capabilities [${update.capabilities.join(', ')}] after the capability update`);
}
