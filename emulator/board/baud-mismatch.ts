// What a UART receives when the sender runs at another baud rate: the sender's 8N1 bit stream (start bit 0, eight data
// bits LSB first, stop bit 1, line idle high before and after a burst) sampled by a receiver at its own rate. Like a
// real UART, the receiver starts a character at a falling edge, samples each bit in the middle of its own bit time,
// and delivers a character whose stop bit is low as 0x00 (what a Linux tty reads for a framing error without PARMRK).
// Used by the board simulator's wrong-baud fault; deterministic, so the same bytes garble the same way every time.

const BITS_PER_CHAR = 10;

/** Garbles one burst of back-to-back characters sent at `sendBaud` and read at `receiveBaud`. */
export function resampleUart(bytes: Uint8Array, sendBaud: number, receiveBaud: number): Buffer {
  if (!(sendBaud > 0) || !(receiveBaud > 0)) throw new RangeError(`baud rates must be positive, got ${sendBaud} and ${receiveBaud}`);
  if (sendBaud === receiveBaud || bytes.length === 0) return Buffer.from(bytes);
  const totalBits = bytes.length * BITS_PER_CHAR;
  /** Line level during the sender's bit number `k` (idle high outside the burst). */
  const level = (k: number): number => {
    if (k < 0 || k >= totalBits) return 1;
    const position = k % BITS_PER_CHAR;
    if (position === 0) return 0;
    if (position === 9) return 1;
    return (bytes[(k - position) / BITS_PER_CHAR]! >> (position - 1)) & 1;
  };
  const levelAt = (seconds: number): number => level(Math.floor(seconds * sendBaud + 1e-9));
  const out: number[] = [];
  // The receiver hunts for a falling edge at sender bit boundaries from `searchBit` on.
  let searchBit = 0;
  for (;;) {
    let start = -1;
    for (let k = searchBit; k < totalBits; k++) {
      if (level(k) === 0 && level(k - 1) === 1) {
        start = k;
        break;
      }
    }
    if (start < 0) break;
    const t0 = start / sendBaud;
    const receiveBit = 1 / receiveBaud;
    let value = 0;
    for (let i = 0; i < 8; i++) value |= levelAt(t0 + (i + 1.5) * receiveBit) << i;
    const stopTime = t0 + 9.5 * receiveBit;
    const framingError = levelAt(stopTime) === 0;
    out.push(framingError ? 0 : value);
    // Next character: the first falling edge after the stop bit was sampled (a low line must rise first).
    searchBit = Math.max(start + 1, Math.ceil(stopTime * sendBaud - 1e-9));
  }
  return Buffer.from(out);
}
