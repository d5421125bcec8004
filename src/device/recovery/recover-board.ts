// `azsphere device recover` over the recovery UART: reset the board into recovery mode, send the recovery bootloader,
// let it erase the flash, send the manifest and then every image by XMODEM-1K, and let the board reboot. Reports the
// CLI's transcript lines and the bytes acknowledged so far. Cancellation is honoured between transfers only: before
// the bootloader the board is reset back to normal (nothing changed); after the erase it stays in recovery mode.
import type { Duplex } from 'node:stream';
import { ByteReader, ReadTimeoutError } from './byte-reader';
import { manifestBytes, type RecoveryImageSet } from './image-set';
import { BOARD_ERROR_PREFIX, BoardLine, RESET_PLAIN, RESET_WITH_DEBUG_RTS } from './recovery-console';
import { RecoveryError } from './recovery-error';
import { sendXmodem, type XmodemSendStats } from './xmodem-sender';

export interface RecoveryProgress {
  /** Bootloader and image bytes the board acknowledged so far. */
  sentBytes: number;
  totalBytes: number;
}

export interface RecoverBoardOptions {
  /** The open recovery UART (see openRecoveryPort). */
  port: Duplex;
  baudRate: number;
  images: RecoveryImageSet;
  /** Each line of the CLI's transcript ("Erasing flash.", "Sent 1 of 9 images. (…)"). */
  onTranscript?: (line: string) => void;
  /** After every acknowledged XMODEM block; sentBytes only grows. */
  onProgress?: (progress: RecoveryProgress) => void;
  /** Every line the board printed on its recovery console (for the log). */
  onBoardLine?: (line: string) => void;
  /** Checked between transfers. */
  signal?: AbortSignal;
  /** How long the board may take to print RECOVERY after the reset (default 10 s). */
  boardFoundTimeoutMs?: number;
  /** How long one step of the board (erase, writing an image) may take (default 120 s). */
  stepTimeoutMs?: number;
}

export interface RecoveryResult {
  osVersion: string;
  /** Blocks sent again after a NAK or timeout, over all transfers. */
  resentBlocks: number;
  elapsedMs: number;
}

export const TRANSCRIPT = {
  starting: 'Starting device recovery. Please note that this may take up to 10 minutes.',
  boardFound: 'Board found. Sending recovery bootloader.',
  erasing: 'Erasing flash.',
  sending: (n: number, bytes: number) => `Sending ${n} images. (${bytes} bytes to send)`,
  sent: (i: number, n: number, remaining: number, bytes: number) => `Sent ${i} of ${n} images. (${remaining} of ${bytes} bytes remaining)`,
  finished: 'Finished writing images; rebooting board.',
} as const;

export async function recoverBoard(options: RecoverBoardOptions): Promise<RecoveryResult> {
  const { port, images, baudRate } = options;
  const started = performance.now();
  const reader = new ByteReader(port);
  const say = (line: string): void => options.onTranscript?.(line);
  const stepTimeoutMs = options.stepTimeoutMs ?? 120_000;
  const totalBytes = images.bootloader.length + images.imageBytes;
  let doneBytes = 0;
  let resentBlocks = 0;
  const transfer = async (data: Buffer, label: string, counts: boolean): Promise<void> => {
    const base = doneBytes;
    const stats: XmodemSendStats = await sendXmodem(port, reader, data, {
      baudRate,
      label,
      startTimeoutMs: stepTimeoutMs,
      onProgress: counts ? (acked) => options.onProgress?.({ sentBytes: base + acked, totalBytes }) : undefined,
    });
    resentBlocks += stats.resent;
    if (counts) doneBytes += data.length;
  };

  /** Reads board lines until one satisfies `wanted`; an error line from the board ends the recovery. */
  const expectLine = async (wanted: (line: string) => boolean, what: string, timeoutMs: number, code: 'BOARD_NOT_FOUND' | 'BOARD_ERROR' = 'BOARD_ERROR'): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let line: string;
      try {
        line = await reader.readLine(Math.max(1, deadline - Date.now()));
      } catch (err) {
        if (err instanceof ReadTimeoutError) throw new RecoveryError(code, `The board did not report ${what} within ${Math.round(timeoutMs / 1000)} s.`);
        throw new RecoveryError('PORT_FAILED', `The recovery port closed while waiting for ${what}.`, { cause: err });
      }
      options.onBoardLine?.(line);
      if (line.startsWith(BOARD_ERROR_PREFIX)) throw new RecoveryError('BOARD_ERROR', `The board's recovery bootloader reported an error: ${line.slice(BOARD_ERROR_PREFIX.length)}`);
      if (wanted(line)) return line;
    }
  };
  const cancelled = (afterErase: string | undefined): RecoveryError =>
    new RecoveryError(
      'CANCELLED',
      afterErase
        ? `Recovery cancelled ${afterErase}. The board's flash was erased, so it stays in recovery mode and will not start until it is recovered again.`
        : 'Recovery cancelled before anything was written; the board was reset and starts as before.',
    );

  try {
    say(TRANSCRIPT.starting);
    reader.discard();
    port.write(RESET_WITH_DEBUG_RTS);
    await expectLine((l) => l === BoardLine.recovery, 'recovery mode (no RECOVERY on its recovery UART)', options.boardFoundTimeoutMs ?? 10_000, 'BOARD_NOT_FOUND');
    if (options.signal?.aborted) {
      port.write(RESET_PLAIN);
      throw cancelled(undefined);
    }
    say(TRANSCRIPT.boardFound);
    await transfer(images.bootloader, 'the recovery bootloader', true);
    await expectLine((l) => l === BoardLine.erasing, 'that its recovery bootloader started', stepTimeoutMs);
    say(TRANSCRIPT.erasing);
    await expectLine((l) => l === BoardLine.erased, 'the end of the flash erase', stepTimeoutMs);
    const n = images.images.length;
    await transfer(manifestBytes(images.manifest), 'the image manifest', false);
    await expectLine((l) => l.startsWith('[RBL] Manifest OK'), 'that it accepted the image manifest', stepTimeoutMs);
    say(TRANSCRIPT.sending(n, images.imageBytes));
    let remaining = images.imageBytes;
    for (const [index, image] of images.images.entries()) {
      if (options.signal?.aborted) {
        port.write(Buffer.from([0x18, 0x18, 0x18])); // CAN CAN CAN: the board stops waiting for the next image
        throw cancelled(index === 0 ? 'before the first image' : `after image ${index} of ${n}`);
      }
      await expectLine((l) => l === BoardLine.sendImage(index + 1, n), `that it is ready for image ${index + 1}`, stepTimeoutMs);
      await transfer(image, `image ${index + 1} of ${n} (${images.manifest.images[index]!.file})`, true);
      await expectLine((l) => l === BoardLine.imageWritten(index + 1, n), `that image ${index + 1} was written`, stepTimeoutMs);
      remaining -= image.length;
      say(TRANSCRIPT.sent(index + 1, n, remaining, images.imageBytes));
    }
    await expectLine((l) => l === BoardLine.rebooting, 'that it is rebooting', stepTimeoutMs);
    say(TRANSCRIPT.finished);
    return { osVersion: images.manifest.osVersion, resentBlocks, elapsedMs: performance.now() - started };
  } finally {
    reader.detach();
  }
}
