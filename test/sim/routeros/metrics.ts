/**
 * Values that move with the clock but are not counters: CPU load, free memory, sensor readings. Each is a slow
 * sine plus noise that changes every ten seconds, derived from the router's seed so it is deterministic.
 */
export interface Wave {
  base: number;
  swing: number;
  periodS: number;
  phase: number;
  /** Amplitude of the ten-second noise. */
  noise: number;
}

/** A deterministic value in [0, 1) for (seed, bucket). */
function hash01(seed: number, bucket: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(bucket, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export function waveAt(wave: Wave, t: number, seed: number): number {
  const noise = (hash01(seed, Math.floor(t / 10)) * 2 - 1) * wave.noise;
  return wave.base + wave.swing * Math.sin((2 * Math.PI * t) / wave.periodS + wave.phase) + noise;
}

export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
