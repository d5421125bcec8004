// Recovery end to end over real pty pairs and serialport: the simulated board's recovery UART, our XMODEM sender,
// the board's receiver, and the board's state afterwards (factory reset, device ID kept, new OS, persisted).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openRecoveryPort, recoverBoard, loadRecoveryImagesFromFolder, TRANSCRIPT, isRecoveryError, type RecoveryPort, type RecoveryProgress } from '../../../src/device/recovery';
import { BoardFixture, callBoard, get, waitFor } from '../../helpers/board-fixture';
import { writeImageFolder } from '../../helpers/image-folder';

describe('recovery over the simulated board\'s recovery UART', function () {
  this.timeout(30_000);
  const fixture = new BoardFixture();
  const ports: RecoveryPort[] = [];
  afterEach(async () => Promise.all(ports.splice(0).map((p) => p.close())));
  after(() => fixture.cleanup());
  const fastRecovery = { eraseMs: 50, writeMsPerKiB: 0, xmodem: { pollMs: 200, blockTimeoutMs: 300 } };

  async function open(linkPath: string): Promise<RecoveryPort> {
    const port = await openRecoveryPort(linkPath, 115200);
    ports.push(port);
    return port;
  }

  it('erases the board to factory state with the image set\'s OS, keeps its ID, and the REST API answers again', async () => {
    const board = await fixture.start('recover', { recoveryTiming: fastRecovery });
    const before = board.state;
    assert.equal(before.osVersion, '24.10');
    assert.equal((await callBoard(board, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'HomeNetwork', securityState: 'psk', psk: 'correct horse battery' } })).status, 201);
    assert.equal(board.state.wifi.networks.length, 1);
    const images = await loadRecoveryImagesFromFolder(writeImageFolder(path.join(fixture.root, 'images')));
    const port = await open(board.recoveryLinkPath);
    const transcript: string[] = [];
    const boardLines: string[] = [];
    const progress: RecoveryProgress[] = [];
    let restDuringRecovery: unknown;
    const result = await recoverBoard({
      port: port.stream,
      baudRate: 115200,
      images,
      onTranscript: (line) => {
        transcript.push(line);
        if (line === TRANSCRIPT.erasing) restDuringRecovery = get(board, '/status').then((r) => r.status, (err: Error) => err.message);
      },
      onBoardLine: (line) => boardLines.push(line),
      onProgress: (p) => progress.push(p),
    });
    assert.equal(result.osVersion, '25.02');
    assert.deepEqual(transcript, [
      TRANSCRIPT.starting,
      TRANSCRIPT.boardFound,
      TRANSCRIPT.erasing,
      'Sending 3 images. (3773 bytes to send)',
      'Sent 1 of 3 images. (1725 of 3773 bytes remaining)',
      'Sent 2 of 3 images. (1025 of 3773 bytes remaining)',
      'Sent 3 of 3 images. (0 of 3773 bytes remaining)',
      TRANSCRIPT.finished,
    ]);
    assert.deepEqual(boardLines.slice(0, 3), ['[1BL] BOOT: 70e00000/00000000/01010000', '[PLUTON] Logging initialized', 'RECOVERY']);
    // The service side was down while the board was in recovery mode.
    assert.notEqual(await restDuringRecovery, 200);
    // Progress by bytes: strictly increasing, ending at the whole set.
    const total = 1500 + 3773;
    assert.ok(progress.every((p, i) => p.totalBytes === total && (i === 0 || p.sentBytes > progress[i - 1]!.sentBytes)));
    assert.equal(progress.at(-1)!.sentBytes, total);

    const status = await waitFor(() => get(board, '/osversion').then((r) => (r.status === 200 ? r : undefined), () => undefined), 'the REST API after recovery', 10_000);
    assert.deepEqual(status.body, { osversion: '25.02' });
    const after = board.state;
    assert.deepEqual(after.wifi.networks, []);
    assert.deepEqual(after.certs, []);
    assert.equal(after.securityState, before.securityState);
    assert.equal(((await get(board, '/device/security_state')).body as { deviceIdentifier: string }).deviceIdentifier, board.deviceId);
    assert.equal(board.recoveries, 1);
    // Persisted: a board started again on the same state folder comes up recovered.
    await fixture.stop(board);
    const again = await fixture.start('recover');
    assert.equal(again.state.osVersion, '25.02');
    assert.deepEqual(again.state.wifi.networks, []);
  });

  it('says which step failed when the board is not there to answer', async () => {
    const board = await fixture.start('absent', { recoveryTiming: fastRecovery });
    await board.unplug();
    await board.replug();
    const port = await open(board.recoveryLinkPath);
    await board.unplug(); // the port is open but nobody is on the other end
    const images = await loadRecoveryImagesFromFolder(writeImageFolder(path.join(fixture.root, 'images-2')));
    await assert.rejects(recoverBoard({ port: port.stream, baudRate: 115200, images, boardFoundTimeoutMs: 500 }), (err: unknown) => {
      assert.ok(isRecoveryError(err, 'BOARD_NOT_FOUND') || isRecoveryError(err, 'PORT_FAILED'), String(err));
      return true;
    });
  });

  it('refuses an image the manifest does not describe: the board reports it and stays in recovery mode', async () => {
    const board = await fixture.start('tampered', { recoveryTiming: fastRecovery });
    const images = await loadRecoveryImagesFromFolder(writeImageFolder(path.join(fixture.root, 'images-3')));
    images.images[1] = Buffer.from(images.images[1]!).fill(0x55); // changed after the folder was checked
    const port = await open(board.recoveryLinkPath);
    await assert.rejects(recoverBoard({ port: port.stream, baudRate: 115200, images }), (err: unknown) => {
      assert.ok(isRecoveryError(err, 'BOARD_ERROR'), String(err));
      assert.match((err as Error).message, /two\.bin does not match its SHA-256/);
      return true;
    });
    assert.equal(board.state.osVersion, '24.10', 'nothing persisted from a failed recovery');
    assert.equal(board.recoveries, 0);
    assert.notEqual(await get(board, '/status').then((r) => r.status, () => 'refused'), 200, 'no OS to start: the service side stays off');
    // A good set recovers it.
    const good = await loadRecoveryImagesFromFolder(path.join(fixture.root, 'images-3'));
    await recoverBoard({ port: port.stream, baudRate: 115200, images: good });
    await waitFor(() => get(board, '/status').then((r) => (r.status === 200 ? r : undefined), () => undefined), 'the REST API after recovery', 10_000);
  });

  it('cancelled between images: stops after the current image, the erased board stays in recovery mode until recovered', async () => {
    const board = await fixture.start('cancel-mid', { recoveryTiming: fastRecovery });
    const images = await loadRecoveryImagesFromFolder(writeImageFolder(path.join(fixture.root, 'images-5')));
    const port = await open(board.recoveryLinkPath);
    const abort = new AbortController();
    const transcript: string[] = [];
    await assert.rejects(
      recoverBoard({ port: port.stream, baudRate: 115200, images, signal: abort.signal, onTranscript: (line) => {
        transcript.push(line);
        if (line.startsWith('Sent 1 of 3')) abort.abort();
      } }),
      (err: unknown) => isRecoveryError(err, 'CANCELLED') && /after image 1 of 3\. The board's flash was erased, so it stays in recovery mode/.test((err as Error).message),
    );
    assert.equal(transcript.at(-1), 'Sent 1 of 3 images. (1725 of 3773 bytes remaining)');
    assert.equal(board.recoveries, 0);
    assert.equal(board.state.osVersion, '24.10');
    await new Promise((r) => setTimeout(r, 300));
    assert.notEqual(await get(board, '/status').then((r) => r.status, () => 'refused'), 200, 'no OS: the service side stays off');
    await recoverBoard({ port: port.stream, baudRate: 115200, images });
    assert.equal(board.recoveries, 1);
    await waitFor(() => get(board, '/status').then((r) => (r.status === 200 ? r : undefined), () => undefined), 'the REST API after recovering', 10_000);
  });

  it('cancelled before the bootloader: the board is reset and starts unchanged', async () => {
    const board = await fixture.start('cancel', { recoveryTiming: fastRecovery });
    const images = await loadRecoveryImagesFromFolder(writeImageFolder(path.join(fixture.root, 'images-4')));
    const port = await open(board.recoveryLinkPath);
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(recoverBoard({ port: port.stream, baudRate: 115200, images, signal: abort.signal }), (err: unknown) => isRecoveryError(err, 'CANCELLED') && /before anything was written/.test((err as Error).message));
    await waitFor(() => get(board, '/status').then((r) => (r.status === 200 ? r : undefined), () => undefined), 'the REST API after the plain reset', 5_000);
    assert.equal(board.state.osVersion, '24.10');
  });
});
