/**
 * The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit big-endian words.
 * `sum16` returns the running 32-bit sum so that headers, pseudo-headers and payload slices can be summed
 * separately (a slice of odd length is only allowed as the last part).
 */

export function sum16(buf: Uint8Array, initial = 0): number {
  let sum = initial;
  const n = buf.length;
  const even = n & ~1;
  let i = 0;
  // Unrolled by 8 bytes: this loop is the hottest code in the stack after the SLIP codec.
  const fast = even & ~7;
  for (; i < fast; i += 8) {
    sum += ((buf[i] << 8) | buf[i + 1]) + ((buf[i + 2] << 8) | buf[i + 3])
      + ((buf[i + 4] << 8) | buf[i + 5]) + ((buf[i + 6] << 8) | buf[i + 7]);
    if (sum > 0x3fffffff) sum = (sum & 0xffff) + (sum >>> 16);
  }
  for (; i < even; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (n & 1) sum += buf[n - 1] << 8;
  return sum;
}

/** Folds a running sum and complements it: the value to put in a checksum field. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Checksum of whole buffers (each except the last must have even length). */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) sum = sum16(p, sum);
  return finishChecksum(sum);
}

/** Running sum of the IPv4 pseudo-header used by TCP and UDP (RFC 9293 §3.1). */
export function pseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
}
