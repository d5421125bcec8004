/**
 * SLIP framing (RFC 1055): frames end with END (0xC0); END and ESC inside a frame are sent as ESC ESC_END and
 * ESC ESC_ESC. A leading END (flushes line noise on the receiver) is allowed and empty frames are ignored.
 *
 * Why not `@serialport/parser-slip-encoder`: its decoder grows the frame with `Buffer.concat` once per byte
 * (quadratic in the frame size), turns a malformed escape into a silently truncated frame instead of dropping it,
 * and emits empty frames for back-to-back END bytes. Its encoder is fine but needs a Transform per frame and a copy
 * of the already assembled packet; ours encodes the IP and TCP headers and the payload slices in one pass.
 */

export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

/** Encodes one frame given as several parts (header buffers and payload slices) into a single buffer: END + frame + END. */
export function slipEncode(parts: readonly Uint8Array[]): Buffer {
  let size = 2;
  for (const part of parts) size += part.length;
  // Worst case every byte needs an escape; count them instead of over-allocating 2x for the common case.
  let escapes = 0;
  for (const part of parts) escapes += countSpecial(part);
  const out = Buffer.allocUnsafe(size + escapes);
  let j = 0;
  out[j++] = SLIP_END; // leading END: the receiver discards any line noise accumulated before this frame
  for (const part of parts) {
    let start = 0;
    const n = part.length;
    while (start < n) {
      const special = nextSpecial(part, start);
      if (special > start) {
        out.set(part.subarray(start, special), j);
        j += special - start;
      }
      if (special >= n) break;
      out[j++] = SLIP_ESC;
      out[j++] = part[special] === SLIP_END ? SLIP_ESC_END : SLIP_ESC_ESC;
      start = special + 1;
    }
  }
  out[j] = SLIP_END;
  return out;
}

function countSpecial(buf: Uint8Array): number {
  let count = 0;
  let i = buf.indexOf(SLIP_END);
  while (i !== -1) { count++; i = buf.indexOf(SLIP_END, i + 1); }
  i = buf.indexOf(SLIP_ESC);
  while (i !== -1) { count++; i = buf.indexOf(SLIP_ESC, i + 1); }
  return count;
}

function nextSpecial(buf: Uint8Array, from: number): number {
  const a = buf.indexOf(SLIP_END, from);
  const b = buf.indexOf(SLIP_ESC, from);
  if (a === -1) return b === -1 ? buf.length : b;
  if (b === -1) return a;
  return a < b ? a : b;
}

export type SlipError = 'bad-escape' | 'oversize';

/**
 * Incremental decoder: feed it arbitrary chunks of the byte stream; it calls `onFrame` for every complete non-empty
 * frame and `onError` for every frame it drops (bad escape sequence or longer than `maxFrame`).
 * Runs of ordinary bytes are copied with `Buffer.set`, not byte by byte.
 */
export class SlipDecoder {
  private buf: Buffer;
  private len = 0;
  private escaped = false;
  private discarding = false; // true after an error until the next END

  constructor(
    private readonly onFrame: (frame: Buffer) => void,
    private readonly onError: (kind: SlipError) => void,
    private readonly maxFrame = 65535 + 64,
  ) {
    this.buf = Buffer.allocUnsafe(2048);
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.escaped) {
        this.escaped = false;
        const b = chunk[i];
        if (b === SLIP_ESC_END) this.append1(SLIP_END);
        else if (b === SLIP_ESC_ESC) this.append1(SLIP_ESC);
        else if (b === SLIP_END) { this.fail('bad-escape'); this.endFrame(); i++; continue; }
        else this.fail('bad-escape');
        i++;
        continue;
      }
      const special = nextSpecial(chunk, i);
      if (special > i) this.append(chunk, i, special);
      if (special >= n) break;
      if (chunk[special] === SLIP_END) this.endFrame();
      else this.escaped = true;
      i = special + 1;
    }
  }

  /** Drops any partial frame (e.g. after the link was re-opened). */
  reset(): void {
    this.len = 0;
    this.escaped = false;
    this.discarding = false;
  }

  private fail(kind: SlipError): void {
    if (!this.discarding) {
      this.discarding = true;
      this.onError(kind);
    }
    this.len = 0;
  }

  private endFrame(): void {
    if (!this.discarding && this.len > 0) {
      // Copy out: the frame outlives this buffer, which is reused for the next frame.
      const frame = Buffer.allocUnsafe(this.len);
      this.buf.copy(frame, 0, 0, this.len);
      this.onFrame(frame);
    }
    this.len = 0;
    this.discarding = false;
  }

  private append(src: Uint8Array, from: number, to: number): void {
    if (this.discarding) return;
    const add = to - from;
    if (!this.ensure(add)) return;
    this.buf.set(src.subarray(from, to), this.len);
    this.len += add;
  }

  private append1(b: number): void {
    if (this.discarding) return;
    if (!this.ensure(1)) return;
    this.buf[this.len++] = b;
  }

  private ensure(add: number): boolean {
    const need = this.len + add;
    if (need > this.maxFrame) { this.fail('oversize'); return false; }
    if (need > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(this.maxFrame, Math.max(need, this.buf.length * 2)));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    return true;
  }
}
