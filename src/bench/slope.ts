// Pure: the least-squares slope of samples over time, per minute, for the soak's "does it stay flat" figures.

export interface Sample {
  /** When it was taken, ms (any origin: only differences count). */
  readonly atMs: number;
  readonly value: number;
}

/**
 * The slope of the least-squares line through the samples, in value units per minute; NaN with fewer than two
 * distinct instants. Non-finite values are left out (a sample that could not be read).
 */
export function slopePerMinute(samples: readonly Sample[]): number {
  const s = samples.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.atMs));
  if (s.length < 2) return NaN;
  const t0 = s[0]!.atMs;
  const xs = s.map((p) => (p.atMs - t0) / 60_000);
  const mx = xs.reduce((a, x) => a + x, 0) / s.length;
  const my = s.reduce((a, p) => a + p.value, 0) / s.length;
  let sxy = 0, sxx = 0;
  s.forEach((p, i) => {
    const dx = xs[i]! - mx;
    sxy += dx * (p.value - my);
    sxx += dx * dx;
  });
  return sxx === 0 ? NaN : sxy / sxx;
}
