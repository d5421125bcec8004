/** TCP sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): comparisons are by signed 32-bit difference. */

export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** b - a as a signed distance (positive when b is after a). */
export function seqDiff(b: number, a: number): number {
  return (b - a) | 0;
}

export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

export function seqGeq(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** lo <= x < hi, modulo 2^32. */
export function seqInRange(x: number, lo: number, hi: number): boolean {
  return seqLeq(lo, x) && seqLt(x, hi);
}
