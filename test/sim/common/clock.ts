/**
 * Simulated time. In `real` mode it follows the wall clock (plus any manual advance), which is what `npm start`
 * and the benchmarks use; in `manual` mode it moves only when a test advances it, so lifecycles are exact.
 */
export class SimClock {
  private offsetMs = 0;
  private manualNow: number;

  constructor(
    readonly mode: "real" | "manual" = "real",
    start = Date.UTC(2026, 10, 1, 8, 0, 0),
  ) {
    this.manualNow = start;
  }

  now(): number {
    return this.mode === "manual" ? this.manualNow : Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(ms: number): void {
    if (this.mode === "manual") this.manualNow += ms;
    else this.offsetMs += ms;
  }
}
