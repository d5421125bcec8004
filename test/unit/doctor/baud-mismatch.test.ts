// The simulator's wrong-baud fault: the 8N1 resampling model, and a real pty + serialport + our stack seeing it.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { resampleUart } from '../../../emulator/board/baud-mismatch';
import { startSimulatedBoard, type SimulatedBoard } from '../../../emulator/board';
import { SerialLink } from '../../../src/device/serial-link';
import { testSeed } from '../../helpers/test-seed';

describe('doctor: simulated baud-rate mismatch', () => {
  it('leaves bytes alone when both ends run at the same rate', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(115200, 921600), (bytes, baud) => {
      assert.deepEqual([...resampleUart(bytes, baud, baud)], [...bytes]);
    }), { seed: testSeed() });
  });

  it('decodes its own 8N1 framing: a receiver at the sender rate + 2% still reads every byte', () => {
    const bytes = Buffer.from('hello, board', 'ascii');
    assert.equal(resampleUart(bytes, 115200, 117504).toString('ascii'), 'hello, board');
  });

  it('garbles like a real UART: slow sender read fast gives more, mostly 0x00/0xFF-ish bytes; fast sender read slow gives fewer', () => {
    const frame = Buffer.from(Array.from({ length: 86 }, (_, i) => (i * 37) & 0xff));
    const slowToFast = resampleUart(frame, 115200, 921600);
    const fastToSlow = resampleUart(frame, 921600, 115200);
    assert.ok(slowToFast.length > frame.length, `115200→921600 gave ${slowToFast.length} bytes for ${frame.length}`);
    assert.ok(fastToSlow.length < frame.length / 2, `921600→115200 gave ${fastToSlow.length} bytes for ${frame.length}`);
    assert.notDeepEqual([...slowToFast.subarray(0, 10)], [...frame.subarray(0, 10)]);
  });

  describe('on a simulated board (real pty, serialport, our stack)', () => {
    let dir: string;
    let board: SimulatedBoard;
    before(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'doctor-baud-'));
      board = await startSimulatedBoard({ linkPath: path.join(dir, 'tty'), stateDir: path.join(dir, 'state'), registryDir: path.join(dir, 'reg') });
    });
    after(async () => {
      await board.stop();
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('answers ping only when the PC opens the port at the rate the board really runs at', async () => {
      board.setFaults({ actualBaud: 115200 });
      try {
        const wrong = await SerialLink.open({ path: board.linkPath, baudRate: 921600, rtscts: false });
        await assert.rejects(wrong.ping(500), { code: 'ETIMEDOUT' });
        await wrong.close();
        const right = await SerialLink.open({ path: board.linkPath, baudRate: 115200, rtscts: false });
        assert.ok((await right.ping(1500)) >= 0);
        await right.close();
      } finally {
        board.setFaults({ actualBaud: null });
      }
      const back = await SerialLink.open({ path: board.linkPath, baudRate: 921600, rtscts: false });
      assert.ok((await back.ping(1500)) >= 0);
      await back.close();
    });
  });
});
