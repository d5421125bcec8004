/**
 * Retransmission timeout estimator (RFC 6298): SRTT/RTTVAR from samples (callers apply Karn's rule by sampling only
 * segments that were never retransmitted), RTO = SRTT + max(G, 4·RTTVAR) clamped to [minRto, maxRto], doubled on
 * every expiry (exponential backoff) until a new sample arrives.
 */
export class RtoEstimator {
  private srtt = 0;
  private rttvar = 0;
  private hasSample = false;
  private base: number;
  private backoff = 0;

  constructor(
    private readonly minRtoMs: number,
    private readonly maxRtoMs: number,
    initialRtoMs: number,
    private readonly clockGranularityMs = 1,
  ) {
    this.base = initialRtoMs;
  }

  get rtoMs(): number {
    return Math.min(this.maxRtoMs, this.base * 2 ** this.backoff);
  }

  get smoothedRttMs(): number | undefined {
    return this.hasSample ? this.srtt : undefined;
  }

  sample(rttMs: number): void {
    if (!this.hasSample) {
      this.srtt = rttMs;
      this.rttvar = rttMs / 2;
      this.hasSample = true;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs);
      this.srtt = 0.875 * this.srtt + 0.125 * rttMs;
    }
    this.base = Math.min(this.maxRtoMs, Math.max(this.minRtoMs, this.srtt + Math.max(this.clockGranularityMs, 4 * this.rttvar)));
    this.backoff = 0;
  }

  /** Timer expired: back off (RFC 6298 §5.5). */
  expired(): void {
    if (this.base * 2 ** this.backoff < this.maxRtoMs) this.backoff++;
  }

  /** An ACK for new data arrived after backing off; keep the backed-off value until a valid sample (RFC 6298 §5.7 allows either). */
  get backoffCount(): number {
    return this.backoff;
  }
}
