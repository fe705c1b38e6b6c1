// Wall-clock steps (an NTP jump, an admin's `date -s`): the store's bans end at wall-clock times, the kernel's time out
// after a duration. After a step the two disagree, so the run loop re-reads the kernel and reconciles (defender.start).
// Pure: the wall and monotonic readings are passed in.

/** A step this large between two looks is a step, not drift or a slow tick. */
export const STEP_MS = 2000;

/**
 * How far the wall clock jumped against the monotonic clock since `offset` (wall − monotonic at the last look), and
 * the offset to keep for the next look. `step` is 0 below STEP_MS.
 */
export function clockStep(offset: number, wall: number, monotonic: number): { step: number; offset: number } {
  const now = wall - monotonic;
  const step = now - offset;
  return Math.abs(step) >= STEP_MS ? { step, offset: now } : { step: 0, offset };
}
