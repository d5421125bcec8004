// A board simulator on a real pty pair, and our client on the other end through serialport, the SLIP stack and TLS
// verified against the simulator's CA. Everything is torn down by `close()`.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulatedBoard, type SimulatedBoard, type SimulatedBoardOptions } from '../../emulator/board/simulated-board';
import { writeCapabilityImage } from '../../emulator/common/image-package-writer';
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
  const { client } = sim.connection;
  const image = writeCapabilityImage({ deviceId: sim.board.deviceId, capabilities: [11] });
  const bootsBefore = sim.board.counters().boots;
  await client.stageImage(image, image.length);
  const { restartingSystem } = await client.installImages('Auto');
  if (!restartingSystem) throw new Error('installing the capability file did not restart the board');
  const deadline = Date.now() + timeoutMs;
  while (sim.board.counters().boots === bootsBefore) {
    if (Date.now() > deadline) throw new Error(`the board did not restart within ${timeoutMs} ms after installing the capability file`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const capabilities = await client.getCapabilities();
  if (!capabilities.includes(11)) throw new Error(`the board reports capabilities [${capabilities.join(', ')}] after the capability update`);
}
