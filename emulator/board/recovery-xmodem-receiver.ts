// The receiving side of XMODEM-CRC / XMODEM-1K, as the board's ROM and recovery bootloader run it: asks for a CRC
// transfer with 'C' (every pollMs until the first block), checks each block's header, number and CRC-16, answers
// ACK or NAK, takes a repeated block (its ACK was lost) as acknowledged again, and ends on EOT. After a bad or
// incomplete block, or any unexpected byte where a block should start, it waits until the line is quiet before the
// NAK, so the rest of a garbled block is not read as the next one (nor its bytes as EOT or CAN). Byte-driven (the console feeds it) so that its owner knows when a block is under way.
import { ACK, blockWireBytes, CAN, CRC_REQUEST, decodeBlock, EOT, NAK, SOH, STX } from '../../src/device/recovery/xmodem-protocol';

export interface XmodemReceiverOptions {
  /** Sends bytes to the PC. */
  send(bytes: Buffer): void;
  /** Interval of 'C' until the first block (default 1000 ms). */
  pollMs?: number;
  /** 'C's sent before giving up (default 60). */
  maxPolls?: number;
  /** Silence inside a block, or after a block, before a NAK (default 1000 ms). */
  blockTimeoutMs?: number;
  /** Quiet time required after a bad block before the NAK (default 100 ms). */
  purgeMs?: number;
  /** NAKs in a row before the transfer is cancelled (default 10). */
  maxRetries?: number;
  /** Largest transfer accepted (default 16 MiB + one block). */
  maxBytes?: number;
}

export type XmodemReceiveResult = { ok: true; data: Buffer } | { ok: false; reason: string };

type State = 'polling' | 'between' | 'block' | 'purging' | 'done';

export class XmodemReceiver {
  private state: State = 'polling';
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private expected = 1;
  private frame: Buffer | undefined;
  private frameFill = 0;
  private polls = 0;
  private errors = 0;
  private lastWasCan = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly pollMs: number;
  private readonly blockTimeoutMs: number;
  private readonly purgeMs: number;
  private readonly maxRetries: number;
  private readonly maxPolls: number;
  private readonly maxBytes: number;

  constructor(private readonly options: XmodemReceiverOptions, private readonly onDone: (result: XmodemReceiveResult) => void) {
    this.pollMs = options.pollMs ?? 1000;
    this.blockTimeoutMs = options.blockTimeoutMs ?? 1000;
    this.purgeMs = options.purgeMs ?? 100;
    this.maxRetries = options.maxRetries ?? 10;
    this.maxPolls = options.maxPolls ?? 60;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024 + 1024;
  }

  /** Sends the first 'C'. */
  start(): void {
    this.poll();
  }

  /** True while a block's bytes are being collected: its bytes are data, whatever they look like. */
  get inBlock(): boolean {
    return this.state === 'block';
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  push(byte: number): void {
    switch (this.state) {
      case 'done':
        return;
      case 'purging':
        this.arm(this.purgeMs, () => this.nak());
        return;
      case 'block':
        this.frame![this.frameFill++] = byte;
        if (this.frameFill === this.frame!.length) this.endOfBlock();
        else this.arm(this.blockTimeoutMs, () => this.purgeThenNak());
        return;
      default:
        this.between(byte);
    }
  }

  /** Stops without a word to the PC (the board was reset). */
  abort(): void {
    this.finish({ ok: false, reason: 'aborted' }, false);
  }

  private between(byte: number): void {
    if (byte === SOH || byte === STX) {
      this.lastWasCan = false;
      this.frame = Buffer.alloc(blockWireBytes(byte === STX ? 1024 : 128));
      this.frame[0] = byte;
      this.frameFill = 1;
      this.state = 'block';
      this.arm(this.blockTimeoutMs, () => this.purgeThenNak());
    } else if (byte === EOT && this.state === 'between') {
      this.options.send(Buffer.from([ACK]));
      this.finish({ ok: true, data: Buffer.concat(this.chunks) }, false);
    } else if (byte === CAN) {
      if (this.lastWasCan) this.finish({ ok: false, reason: 'the transfer was cancelled by the sender' }, false);
      this.lastWasCan = true;
    } else if (this.state === 'polling') {
      this.lastWasCan = false; // before the first block: stray bytes (a reset gesture's prefix) are ignored
    } else {
      // A garbled block header: the rest of that block follows and may hold EOT or CAN bytes. Let it pass, then NAK.
      this.purgeThenNak();
    }
  }

  private endOfBlock(): void {
    const decoded = decodeBlock(this.frame!);
    this.frame = undefined;
    if ('error' in decoded) {
      this.purgeThenNak();
      return;
    }
    const { blockNumber, data } = decoded;
    if (blockNumber === ((this.expected - 1) & 0xff) && this.expected > 1) {
      this.ack(); // a repeat: our ACK was lost on the way
      return;
    }
    if (blockNumber !== (this.expected & 0xff)) {
      this.finish({ ok: false, reason: `block ${blockNumber} arrived while block ${this.expected & 0xff} was expected` }, true);
      return;
    }
    if (this.received + data.length > this.maxBytes) {
      this.finish({ ok: false, reason: `the transfer exceeds ${this.maxBytes} bytes` }, true);
      return;
    }
    this.chunks.push(data);
    this.received += data.length;
    this.expected++;
    this.errors = 0;
    this.ack();
  }

  private ack(): void {
    this.state = 'between';
    this.options.send(Buffer.from([ACK]));
    this.arm(this.blockTimeoutMs * 10, () => this.purgeThenNak());
  }

  private purgeThenNak(): void {
    this.frame = undefined;
    this.state = 'purging';
    this.arm(this.purgeMs, () => this.nak());
  }

  private nak(): void {
    if (++this.errors > this.maxRetries) {
      this.finish({ ok: false, reason: `${this.maxRetries} bad or missing blocks in a row` }, true);
      return;
    }
    // Before the first block a NAK would ask for checksum mode: keep asking for CRC instead.
    if (this.expected === 1) {
      this.state = 'polling';
      this.poll();
      return;
    }
    this.state = 'between';
    this.options.send(Buffer.from([NAK]));
    this.arm(this.blockTimeoutMs, () => this.purgeThenNak());
  }

  private poll(): void {
    if (this.state !== 'polling') return;
    if (++this.polls > this.maxPolls) {
      this.finish({ ok: false, reason: 'nothing was sent' }, false);
      return;
    }
    this.options.send(Buffer.from([CRC_REQUEST]));
    this.arm(this.pollMs, () => this.poll());
  }

  private arm(ms: number, then: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      then();
    }, ms);
  }

  private finish(result: XmodemReceiveResult, cancel: boolean): void {
    if (this.state === 'done') return;
    this.state = 'done';
    clearTimeout(this.timer);
    this.timer = undefined;
    if (cancel) this.options.send(Buffer.from([CAN, CAN, CAN]));
    this.onDone(result);
  }
}
