// The pty under the simulator, with real serialport on the PC side: binary-clean in both directions (no echo,
// no CR/LF translation) with openpty and with the socat fallback; stale links replaced, real files never clobbered.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SerialPort } from 'serialport';
import { openPtyPair, type PtyPair } from '../../../emulator/board/pty-pair';
import { waitFor } from '../../helpers/board-fixture';

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

function collect(source: { on(event: 'data', cb: (b: Buffer) => void): unknown }): () => Buffer {
  const chunks: Buffer[] = [];
  source.on('data', (b: Buffer) => chunks.push(b));
  return () => Buffer.concat(chunks);
}

describe('board-sim pty pair', function () {
  this.timeout(20_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'board-sim-pty-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const backend of ['openpty', 'socat'] as const) {
    it(`${backend}: carries all 256 byte values both ways unchanged, without echo`, async () => {
      const link = path.join(root, `tty-${backend}`);
      const pair: PtyPair = await openPtyPair(link, backend);
      assert.equal(pair.backend, backend);
      const port = new SerialPort({ path: link, baudRate: 921600, autoOpen: false });
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
      try {
        const boardGot = collect(pair);
        const pcGot = collect(port);
        port.write(ALL_BYTES);
        pair.write(ALL_BYTES);
        await waitFor(() => (boardGot().length >= 256 && pcGot().length >= 256 ? true : undefined), 'both directions');
        await new Promise((resolve) => setTimeout(resolve, 50)); // an echo would arrive by now
        assert.deepEqual(boardGot(), ALL_BYTES);
        assert.deepEqual(pcGot(), ALL_BYTES);
      } finally {
        await new Promise<void>((resolve) => port.close(() => resolve()));
        await pair.close();
        fs.rmSync(link, { force: true });
      }
    });
  }

  it('replaces a stale symlink at the link path but refuses to replace a regular file', async () => {
    const link = path.join(root, 'tty-stale');
    fs.symlinkSync('/dev/pts/does-not-exist', link);
    const pair = await openPtyPair(link, 'openpty');
    assert.equal(fs.readlinkSync(link), pair.slavePath);
    await pair.close();
    fs.rmSync(link);

    const file = path.join(root, 'precious.txt');
    fs.writeFileSync(file, 'keep me');
    await assert.rejects(openPtyPair(file, 'openpty'), /exists and is not a symlink/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
  });

  it('openpty: bytes the board sends before any client opened the port are not echoed back to the board', async () => {
    const link = path.join(root, 'tty-early');
    const pair = await openPtyPair(link, 'openpty');
    const boardGot = collect(pair);
    pair.write(Buffer.from('\xc0hello\r\n\xc0', 'latin1'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(boardGot().length, 0);
    await pair.close();
    fs.rmSync(link, { force: true });
  });
});
