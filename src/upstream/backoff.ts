// Pure: when to start ExaBGP again after it failed. A speaker that keeps dying (a crash loop) is restarted less and
// less often, up to a ceiling; one that had run for a while before it died starts the count again.

/** The first restart comes this long after a failure; each further failure in a row doubles it. */
export const FIRST_RESTART_MS = 60_000;
/** Never longer than this between two tries. */
export const MAX_RESTART_MS = 15 * 60_000;
/** A speaker that ran this long before it died is not part of a crash loop: the next failure counts as the first. */
export const STABLE_MS = 10 * 60_000;

/** The wait before the next start after `failures` failures in a row (1 = the first). */
export function restartDelayMs(failures: number): number {
  if (failures <= 1) return FIRST_RESTART_MS;
  return Math.min(MAX_RESTART_MS, FIRST_RESTART_MS * 2 ** Math.min(failures - 1, 30));
}

/** Failures in a row once another one is seen; `ranMs` is how long the speaker had run (0: it never started). */
export function failuresAfter(previous: number, ranMs: number): number {
  return ranMs >= STABLE_MS ? 1 : previous + 1;
}
