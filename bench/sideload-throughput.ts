/**
 * Sideloading over the paced serial link, end to end (`npx tsx bench/sideload-throughput.ts`; about half a minute):
 * board simulator on a pty paced at 921600 baud ⇄ serialport ⇄ our SLIP/IPv4/TCP stack ⇄ TLS ⇄ HTTP ⇄ REST client ⇄
 * sideloadImagePackage().
 *  - a 1 MiB application package (its executable a 0–255 pattern, as bench/link-rest.ts sends) sideloaded from disk:
 *    reading and checking the file, PUT /update/stage, POST /update/install and the app's state, timed from the call
 *    to its result; package bytes / (elapsed × line rate), line rate = baud / 10 bytes per second (8N1); target ≥ 90 %;
 *  - beside it, in the same run on the same link, the bare PUT /update/stage of the same bytes (bench/link-rest.ts's
 *    bulk figure), so the ratio shows what the sideload flow adds to the upload.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulatedBoard } from '../emulator/board/simulated-board';
import { writeCapabilityImage } from '../emulator/common/image-package-writer';
import { appPackageOfSize } from '../test/helpers/app-packages';
import { nullLogger } from '../src/common/logger';
import { sideloadImagePackage } from '../src/device/apps';
import { DeviceConnection } from '../src/device/device-connection';
import { SerialRoute } from '../src/device/serial-route';

const MiB = 1024 * 1024;
const BAUD = 921600;
const COMPONENT_ID = '2f074b0f-d99d-4692-82d9-ef93a7d6463c';

const packageOfSize = (size: number): Buffer => appPackageOfSize(COMPONENT_ID, size, { name: 'ThroughputBench', imageId: '6415a939-0ffb-4b1f-9f0e-1a2b3c4d0ffb' });

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-sideload-'));
  const board = await startSimulatedBoard({ linkPath: path.join(dir, 'tty'), stateDir: path.join(dir, 'state'), registryDir: path.join(dir, 'registry'), baud: BAUD, restartDownMs: 200 });
  const route = new SerialRoute({ path: board.linkPath, baudRate: BAUD, rtscts: false, logger: nullLogger });
  const connection = new DeviceConnection({ route, trust: { kind: 'ca', caPem: board.caCertPem, caLabel: 'simulator CA' }, deviceId: board.deviceId, idleTimeoutMs: 30_000 });
  try {
    const { client } = connection;
    // Development mode, as `azsphere device enable-development` gives it: a capability file, then a restart.
    const capability = writeCapabilityImage({ deviceId: board.deviceId, capabilities: [11] });
    const boots = board.counters().boots;
    await client.stageImage(capability, capability.length);
    await client.installImages('Auto');
    while (board.counters().boots === boots) await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 10; i++) await client.getStatus(); // handshake and warm-up

    const image = packageOfSize(MiB);
    const file = path.join(dir, 'bench.imagepackage');
    await fs.writeFile(file, image);
    const lineRate = BAUD / 10;

    const t0 = performance.now();
    await client.stageImage(image, image.length);
    const putSeconds = (performance.now() - t0) / 1000;
    await client.installImages('Manual'); // consume it, so the sideload below starts from a clean stage

    const t1 = performance.now();
    const result = await sideloadImagePackage(client, file);
    const sideloadSeconds = (performance.now() - t1) / 1000;
    if (result.state !== 'running') throw new Error(`the app is ${result.state} after the sideload`);

    const putShare = image.length / (putSeconds * lineRate);
    const sideloadShare = image.length / (sideloadSeconds * lineRate);
    const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
    console.log(`\n| measure (${(image.length / MiB).toFixed(2)} MiB package, ${BAUD} baud) | figure | target |`);
    console.log('|---|---|---|');
    console.log(`| sideload (check, stage, install, state), package share of line rate | ${pct(sideloadShare)} (${sideloadSeconds.toFixed(2)} s) | ≥ 90 % |`);
    console.log(`| bare PUT /update/stage of the same bytes, share of line rate | ${pct(putShare)} (${putSeconds.toFixed(2)} s) | ≥ 90 % |`);
    console.log(`| sideload time / bare PUT time | ${(sideloadSeconds / putSeconds).toFixed(3)}× | — |`);
  } finally {
    connection.dispose();
    await route.close();
    await board.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
