// Test support: a seeded random source, so a test that picks random points says which seed it used and can be rerun
// with it (SYNGUARD_SEED=N).

/** mulberry32: a small, fast generator; uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SYNGUARD_SEED when set, else `fallback` (a test passes the wall clock): print it with the results. */
export function testSeed(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env['SYNGUARD_SEED']);
  return Number.isInteger(s) ? s >>> 0 : fallback >>> 0;
}
