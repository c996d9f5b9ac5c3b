/**
 * Interface traffic as a function of simulated time: each direction has a base rate that swings on a slow sine,
 * so the instantaneous rate (`monitor-traffic`) is the exact derivative of the byte counters (`/interface`).
 * Counters are the integral since the interface last started counting (boot, or re-enable), computed lazily.
 */
export interface RateCurve {
  /** Average bytes per second. */
  base: number;
  /** Relative swing, 0 ≤ swing < 1. */
  swing: number;
  periodS: number;
  phase: number;
}

/** Instantaneous bytes per second at `t` seconds. */
export function rateAt(curve: RateCurve, t: number): number {
  return curve.base * (1 + curve.swing * Math.sin((2 * Math.PI * t) / curve.periodS + curve.phase));
}

/** Bytes transferred between `a` and `b` seconds: the integral of `rateAt`, taken over the span directly for precision. */
export function bytesBetween(curve: RateCurve, a: number, b: number): number {
  const w = (2 * Math.PI) / curve.periodS;
  return curve.base * (b - a - (curve.swing / w) * (Math.cos(w * b + curve.phase) - Math.cos(w * a + curve.phase)));
}

export interface TrafficProfile {
  rx: RateCurve;
  tx: RateCurve;
  rxPacketSize: number;
  txPacketSize: number;
  /** Share of received packets counted as errors and as drops. */
  errorRatio: number;
  dropRatio: number;
}

export interface CounterSnapshot {
  rxByte: number;
  txByte: number;
  rxPacket: number;
  txPacket: number;
  rxError: number;
  txError: number;
  rxDrop: number;
  txDrop: number;
}

/**
 * A counter pair that only grows while the interface passes traffic. `since` is when it last started counting
 * (seconds on the lab's time axis); `carried` holds what was counted before an interruption.
 */
export class TrafficCounters {
  private carriedRx = 0;
  private carriedTx = 0;
  private since: number | undefined;

  constructor(
    readonly profile: TrafficProfile,
    startS: number | undefined,
  ) {
    this.since = startS;
  }

  get counting(): boolean {
    return this.since !== undefined;
  }

  /** Stops counting at `t` (link down, disabled) and keeps what was counted. */
  pause(t: number): void {
    if (this.since === undefined) return;
    this.carriedRx += bytesBetween(this.profile.rx, this.since, t);
    this.carriedTx += bytesBetween(this.profile.tx, this.since, t);
    this.since = undefined;
  }

  resume(t: number): void {
    if (this.since === undefined) this.since = t;
  }

  /** Counters restart from zero at `t` (a reboot); `counting` says whether traffic flows afterwards. */
  reset(t: number, counting: boolean): void {
    this.carriedRx = 0;
    this.carriedTx = 0;
    this.since = counting ? t : undefined;
  }

  at(t: number): CounterSnapshot {
    let rx = this.carriedRx;
    let tx = this.carriedTx;
    if (this.since !== undefined && t > this.since) {
      rx += bytesBetween(this.profile.rx, this.since, t);
      tx += bytesBetween(this.profile.tx, this.since, t);
    }
    const rxByte = Math.floor(rx);
    const txByte = Math.floor(tx);
    const rxPacket = Math.floor(rxByte / this.profile.rxPacketSize);
    const txPacket = Math.floor(txByte / this.profile.txPacketSize);
    return {
      rxByte,
      txByte,
      rxPacket,
      txPacket,
      rxError: Math.floor(rxPacket * this.profile.errorRatio),
      txError: 0,
      rxDrop: Math.floor(rxPacket * this.profile.dropRatio),
      txDrop: Math.floor(txPacket * this.profile.dropRatio * 0.5),
    };
  }

  /** Instantaneous rates at `t` (zero while not counting). */
  ratesAt(t: number): { rxBps: number; txBps: number; rxPps: number; txPps: number } {
    if (this.since === undefined) return { rxBps: 0, txBps: 0, rxPps: 0, txPps: 0 };
    const rx = rateAt(this.profile.rx, t);
    const tx = rateAt(this.profile.tx, t);
    return { rxBps: Math.round(rx * 8), txBps: Math.round(tx * 8), rxPps: Math.round(rx / this.profile.rxPacketSize), txPps: Math.round(tx / this.profile.txPacketSize) };
  }
}
