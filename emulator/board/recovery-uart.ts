// The board's recovery UART (115200 8N1): its own pty pair, announced next to the service UART. In normal operation
// it carries the boot log. Reset with DEBUG_RTS held (RESET_WITH_DEBUG_RTS, see src/device/recovery/recovery-console.ts
// for why a byte sequence stands for the modem line) puts the board into recovery mode: the OS stops (the service
// UART goes silent), the ROM prints RECOVERY and takes the recovery bootloader by XMODEM; that erases the flash and
// takes the manifest and every image, checks each against the manifest's size and SHA-256, and reboots the board
// with its state reset to factory. Once the flash is erased the board can only start in recovery mode until a
// recovery completes (in this process; the persisted state changes only when one completes).
import type { Duplex } from 'node:stream';
import { createLinkPair } from '../../src/device/net';
import { parseRecoveryManifest, verifyImage, type RecoveryManifest } from '../../src/device/recovery/image-set';
import { BoardLine, RESET_PLAIN, RESET_WITH_DEBUG_RTS } from '../../src/device/recovery/recovery-console';
import { SUB } from '../../src/device/recovery/xmodem-protocol';
import { openPtyPair, removeStaleLink, type PtyPair } from './pty-pair';
import { XmodemReceiver, type XmodemReceiveResult, type XmodemReceiverOptions } from './recovery-xmodem-receiver';

export const DEFAULT_RECOVERY_BAUD = 115200;

export interface RecoveryTiming {
  /** How long erasing the flash takes (default 400 ms). */
  eraseMs: number;
  /** How long writing one image takes, per KiB (default 1 ms). */
  writeMsPerKiB: number;
  /** XMODEM receiver timings (tests shorten them). */
  xmodem: Pick<XmodemReceiverOptions, 'pollMs' | 'blockTimeoutMs' | 'purgeMs' | 'maxRetries' | 'maxPolls'>;
}

export const DEFAULT_RECOVERY_TIMING: RecoveryTiming = { eraseMs: 400, writeMsPerKiB: 1, xmodem: {} };

export interface RecoveryBoardHooks {
  /** Reset with DEBUG_RTS held: the OS stops, the service UART goes silent. */
  enterRecovery(): void;
  /** A plain reset of a board whose flash holds an OS: it boots as usual. */
  reboot(): void;
  /** Every image written: persist the factory state with the recovered OS version, then boot. */
  completeRecovery(osVersion: string): Promise<void>;
}

export type RecoveryPhase = 'off' | 'normal' | 'rom' | 'erasing' | 'manifest' | 'image' | 'writing' | 'halted';

const LONGEST_TRIGGER = Math.max(RESET_WITH_DEBUG_RTS.length, RESET_PLAIN.length);

export class RecoveryUart {
  private pty: PtyPair | undefined;
  private lineEnd: Duplex | undefined;
  private wireEnd: Duplex | undefined;
  private phase: RecoveryPhase = 'off';
  private flashErased = false;
  private receiver: XmodemReceiver | undefined;
  private manifest: RecoveryManifest | undefined;
  private imageIndex = 0;
  private stepTimer: NodeJS.Timeout | undefined;
  private recent = Buffer.alloc(0);
  /** Bytes written by the board that have not crossed the line yet, and who waits for them. */
  private inFlight = 0;
  private quietWaiters: (() => void)[] = [];
  /** Completed recoveries in this process (tests and benchmarks read it). */
  recoveries = 0;

  constructor(
    readonly linkPath: string,
    readonly baud: number,
    private readonly hooks: RecoveryBoardHooks,
    private readonly timing: RecoveryTiming = DEFAULT_RECOVERY_TIMING,
  ) {}

  /** True while the board is in recovery mode or has no OS to start: the service side must stay off. */
  get holdsBoard(): boolean {
    return this.flashErased || (this.phase !== 'off' && this.phase !== 'normal');
  }

  get currentPhase(): RecoveryPhase {
    return this.phase;
  }

  /** Plug in: the pty appears; the board powers on (into recovery mode if its flash was erased). */
  async open(): Promise<void> {
    this.pty = await openPtyPair(this.linkPath);
    const [lineEnd, wireEnd] = createLinkPair({ baudRate: this.baud });
    this.lineEnd = lineEnd;
    this.wireEnd = wireEnd;
    this.pty.on('data', (bytes: Buffer) => wireEnd.write(bytes));
    wireEnd.on('data', (bytes: Buffer) => {
      this.pty?.write(bytes);
      this.inFlight = Math.max(0, this.inFlight - bytes.length);
      if (this.inFlight === 0) this.quietWaiters.splice(0).forEach((wake) => wake());
    });
    lineEnd.on('data', (bytes: Buffer) => this.fromPc(bytes));
    for (const end of [lineEnd, wireEnd]) end.on('error', () => undefined);
    if (this.flashErased) this.enterRom();
  }

  /** Unplug: power goes, whatever was under way stops; an erased flash stays erased. */
  async close(): Promise<void> {
    this.stopSession();
    this.phase = 'off';
    this.lineEnd?.destroy();
    this.wireEnd?.destroy();
    this.lineEnd = this.wireEnd = undefined;
    this.inFlight = 0;
    this.quietWaiters.splice(0).forEach((wake) => wake());
    const pty = this.pty;
    this.pty = undefined;
    await removeStaleLink(this.linkPath);
    await pty?.close();
  }

  /** The OS started (power-on, restart): its boot log on this UART. */
  bootedNormally(osVersion: string): void {
    this.phase = 'normal';
    this.print(BoardLine.boot, BoardLine.pluton, BoardLine.osStarted(osVersion));
  }

  /** Resolves once everything the board wrote has crossed the line (no pacing timer left running). */
  quiet(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.quietWaiters.push(resolve));
  }

  private fromPc(bytes: Buffer): void {
    for (const byte of bytes) {
      if (this.receiver?.inBlock) {
        this.receiver.push(byte);
        continue;
      }
      if (this.phase !== 'off' && this.sawTrigger(byte)) continue;
      this.receiver?.push(byte);
    }
  }

  /** Looks for a reset gesture at the end of what arrived between blocks; true when one completed with this byte. */
  private sawTrigger(byte: number): boolean {
    this.recent = Buffer.concat([this.recent.subarray(-(LONGEST_TRIGGER - 1)), Buffer.from([byte])]);
    const ends = (t: Buffer): boolean => this.recent.length >= t.length && this.recent.subarray(this.recent.length - t.length).equals(t);
    if (ends(RESET_WITH_DEBUG_RTS)) {
      this.recent = Buffer.alloc(0);
      this.hooks.enterRecovery();
      this.enterRom();
      return true;
    }
    if (ends(RESET_PLAIN)) {
      this.recent = Buffer.alloc(0);
      if (this.flashErased) {
        this.enterRom(); // no OS to start: the ROM falls back to recovery mode
      } else {
        this.stopSession();
        this.phase = 'normal';
        this.hooks.reboot();
      }
      return true;
    }
    return false;
  }

  private enterRom(): void {
    this.stopSession();
    this.phase = 'rom';
    this.print(BoardLine.boot, BoardLine.pluton, BoardLine.recovery);
    this.receive((data) => {
      if (data.length === 0) return this.halt('the recovery bootloader is empty');
      this.print(BoardLine.bootloaderStarted, BoardLine.erasing);
      this.phase = 'erasing';
      this.flashErased = true;
      this.after(this.timing.eraseMs, () => {
        this.phase = 'manifest';
        this.print(BoardLine.erased);
        this.receive((bytes) => this.takeManifest(bytes));
      });
    });
  }

  private takeManifest(bytes: Buffer): void {
    let manifest: RecoveryManifest;
    try {
      manifest = parseRecoveryManifest(stripPadding(bytes).toString('utf8'), 'the host');
    } catch (err) {
      return this.halt((err as Error).message);
    }
    this.manifest = manifest;
    const total = manifest.images.reduce((n, e) => n + e.size, 0);
    this.print(BoardLine.manifestOk(manifest.images.length, total, manifest.osVersion));
    this.imageIndex = 0;
    this.askForImage();
  }

  private askForImage(): void {
    const manifest = this.manifest!;
    const n = manifest.images.length;
    const i = this.imageIndex;
    this.phase = 'image';
    this.print(BoardLine.sendImage(i + 1, n));
    this.receive((bytes) => {
      const entry = manifest.images[i]!;
      // XMODEM pads the last block; the manifest says where the image ends.
      if (bytes.length < entry.size || bytes.length - entry.size >= 1024) return this.halt(`image ${i + 1} is ${bytes.length} bytes; the manifest says ${entry.size}`);
      try {
        verifyImage(entry, bytes.subarray(0, entry.size), 'the host');
      } catch (err) {
        return this.halt((err as Error).message);
      }
      this.phase = 'writing';
      this.after(Math.ceil((entry.size / 1024) * this.timing.writeMsPerKiB), () => {
        this.print(BoardLine.imageWritten(i + 1, n));
        this.imageIndex++;
        if (this.imageIndex < n) return this.askForImage();
        this.print(BoardLine.rebooting);
        this.phase = 'normal';
        this.flashErased = false;
        this.recoveries++;
        void this.hooks.completeRecovery(manifest.osVersion);
      });
    });
  }

  /** Runs one XMODEM transfer; a failure halts the board in recovery mode. */
  private receive(then: (data: Buffer) => void): void {
    this.receiver = new XmodemReceiver({ ...this.timing.xmodem, send: (b) => this.send(b) }, (result: XmodemReceiveResult) => {
      this.receiver = undefined;
      if (result.ok) then(result.data);
      else if (result.reason !== 'aborted') this.halt(`XMODEM transfer failed: ${result.reason}`);
    });
    this.receiver.start();
  }

  private halt(why: string): void {
    this.phase = 'halted';
    this.print(BoardLine.error(why));
  }

  private after(ms: number, then: () => void): void {
    clearTimeout(this.stepTimer);
    this.stepTimer = setTimeout(() => {
      this.stepTimer = undefined;
      then();
    }, ms);
  }

  private stopSession(): void {
    clearTimeout(this.stepTimer);
    this.stepTimer = undefined;
    this.receiver?.abort();
    this.receiver = undefined;
    this.manifest = undefined;
  }

  private print(...lines: string[]): void {
    this.send(Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
  }

  private send(bytes: Buffer): void {
    if (!this.lineEnd) return;
    this.inFlight += bytes.length;
    this.lineEnd.write(bytes);
  }
}

function stripPadding(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === SUB) end--;
  return bytes.subarray(0, end);
}
