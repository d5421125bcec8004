// The lines a telemetry monitor keeps: at most `max`, the oldest dropped first, so a board that talks for hours costs
// the same memory as one that talked for minutes.
export class BoundedLines {
  private readonly kept: string[] = [];
  private droppedCount = 0;

  constructor(readonly max: number) {}

  push(line: string): void {
    this.kept.push(line);
    // Dropping in batches of a tenth keeps push O(1) amortised (splice moves the whole array).
    if (this.kept.length > this.max + Math.ceil(this.max / 10)) this.trim();
  }

  get lines(): readonly string[] {
    this.trim();
    return this.kept;
  }

  /** How many lines were dropped so far. */
  get dropped(): number {
    this.trim();
    return this.droppedCount;
  }

  private trim(): void {
    const extra = this.kept.length - this.max;
    if (extra > 0) {
      this.kept.splice(0, extra);
      this.droppedCount += extra;
    }
  }
}
