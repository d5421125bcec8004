// The output port (TCP 2342 over the serial link's SLIP stack): open only while an app runs under the debugger, it
// sends that app's output — here the IoT connection's lines of an app configured like the AzureIoT sample, on a board
// that has no device certificate.
import * as assert from 'node:assert/strict';
import type { Duplex } from 'node:stream';
import { OUTPUT_PORT } from '../../../emulator/board/apps/app-runtime';
import { FAST_WIFI, waitFor } from '../../helpers/board-fixture';
import { startSimHarness, type SimHarness } from '../../helpers/sim-board';
import { appPackage, deploy, installCapabilities, setAppState } from './sideload-steps';

const IOT_APP = 'c3a9e7f4-5d6b-4a8c-9e0f-2b3c4d5e6f70';
const TENANT = '6d8a1c3e-0000-4000-8000-000000000001';

describe('board-sim: the output port of a debugged app', function () {
  this.timeout(60_000);
  let sim: SimHarness;

  before(async () => {
    sim = await startSimHarness({ loopbackPort: 0, restartDownMs: 200, wifiTiming: FAST_WIFI });
    await installCapabilities(sim.board, [11]); // debugging needs appDevelopment (and the gdbserver it brings)
  });
  after(() => sim?.close());

  const connectOutput = async (): Promise<Duplex> => (await sim.route.ensureOpen()).connectTo(OUTPUT_PORT, 5000);

  it('is closed while the app merely runs, sends its output once it is debugged, and closes when it stops', async () => {
    await deploy(sim.board, appPackage(IOT_APP, {
      name: 'AzureIoT',
      manifest: {
        SchemaVersion: 1, Name: 'AzureIoT', ComponentId: IOT_APP, EntryPoint: '/bin/app',
        CmdArgs: ['--ConnectionType', 'IoTHub', '--Hostname', '127.0.0.1:1'],
        Capabilities: { DeviceAuthentication: TENANT }, ApplicationType: 'Default', TargetApplicationRuntimeVersion: 12,
      },
    }));
    await assert.rejects(connectOutput(), /ECONNREFUSED|refused|reset/i, 'no output port while no app is debugged');

    assert.equal((await setAppState(sim.board, IOT_APP, 'startDebug')).status, 200);
    const socket = await connectOutput();
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
    socket.on('error', () => undefined);
    await waitFor(() => (received.includes('ERROR: IoT Hub connection - device auth not ready') ? true : undefined), `the app's output (so far: ${JSON.stringify(received)})`, 10_000);
    assert.deepEqual(sim.board.appOutput(IOT_APP).map((line) => `${line}\n`).join(''), received);
    assert.equal(sim.board.iotConnection.state, 'idle');

    assert.equal((await setAppState(sim.board, IOT_APP, 'stop')).status, 200);
    await ended; // the board closes its side once no app is debugged
    socket.destroy();
  });
});
