/**
 * Bytes written by the application and not yet acknowledged. Writes are copied into blocks of up to 64 KiB: a write's
 * callback runs long before the peer acknowledges the data, and callers may reuse their buffer after the callback
 * (Node's Writable contract; the kernel copies too), while we may still need the bytes for a retransmission.
 * One memcpy per byte written; blocks also keep many small writes from becoming many pieces.
 */
const MIN_BLOCK = 4096;
const MAX_BLOCK = 64 * 1024;

export class SendBuffer {
  private blocks: Buffer[] = [];
  private head = 0; // index of the first live block
  private headOffset = 0; // bytes of blocks[head] already acknowledged
  private tailUsed = 0; // bytes filled in the last block (the others are full)
  private size = 0;

  get length(): number {
    return this.size;
  }

  append(data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      let tail = this.blocks[this.blocks.length - 1];
      if (!tail || this.tailUsed === tail.length) {
        tail = Buffer.allocUnsafe(Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, data.length - off)));
        this.blocks.push(tail);
        this.tailUsed = 0;
      }
      const n = Math.min(data.length - off, tail.length - this.tailUsed);
      tail.set(data.subarray(off, off + n), this.tailUsed);
      this.tailUsed += n;
      off += n;
      this.size += n;
    }
  }

  /** Drops `n` bytes from the front (they were acknowledged). */
  consume(n: number): void {
    if (n >= this.size) {
      this.blocks = [];
      this.head = 0;
      this.headOffset = 0;
      this.tailUsed = 0;
      this.size = 0;
      return;
    }
    this.size -= n;
    while (n > 0) {
      const left = this.blockLength(this.head) - this.headOffset;
      if (n < left) {
        this.headOffset += n;
        break;
      }
      n -= left;
      this.head++;
      this.headOffset = 0;
    }
    if (this.head > 16) {
      this.blocks = this.blocks.slice(this.head);
      this.head = 0;
    }
  }

  /** Views of bytes [offset, offset + len) counted from the front (valid until the next consume). */
  slices(offset: number, len: number): Buffer[] {
    const out: Buffer[] = [];
    let skip = offset + this.headOffset;
    for (let i = this.head; i < this.blocks.length && len > 0; i++) {
      const blockLen = this.blockLength(i);
      if (skip >= blockLen) {
        skip -= blockLen;
        continue;
      }
      const take = Math.min(len, blockLen - skip);
      out.push(this.blocks[i].subarray(skip, skip + take));
      len -= take;
      skip = 0;
    }
    return out;
  }

  private blockLength(i: number): number {
    return i === this.blocks.length - 1 ? this.tailUsed : this.blocks[i].length;
  }
}
