/**
 * Bytes written by the application and not yet acknowledged, as a queue of the caller's own buffers: appending and
 * acknowledging never copy; `slices` returns views for building a segment.
 */
export class SendBuffer {
  private chunks: Buffer[] = [];
  private head = 0; // index of the first live chunk
  private headOffset = 0; // bytes of chunks[head] already acknowledged
  private size = 0;

  get length(): number {
    return this.size;
  }

  append(data: Buffer): void {
    if (data.length === 0) return;
    this.chunks.push(data);
    this.size += data.length;
  }

  /** Drops `n` bytes from the front (they were acknowledged). */
  consume(n: number): void {
    if (n > this.size) n = this.size;
    this.size -= n;
    while (n > 0) {
      const chunk = this.chunks[this.head];
      const left = chunk.length - this.headOffset;
      if (n < left) {
        this.headOffset += n;
        break;
      }
      n -= left;
      this.head++;
      this.headOffset = 0;
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Views of bytes [offset, offset + len) counted from the front. */
  slices(offset: number, len: number): Buffer[] {
    const out: Buffer[] = [];
    let skip = offset + this.headOffset;
    for (let i = this.head; i < this.chunks.length && len > 0; i++) {
      const chunk = this.chunks[i];
      if (skip >= chunk.length) {
        skip -= chunk.length;
        continue;
      }
      const take = Math.min(len, chunk.length - skip);
      out.push(chunk.subarray(skip, skip + take));
      len -= take;
      skip = 0;
    }
    return out;
  }
}
