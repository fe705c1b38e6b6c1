// A threshold pair with hysteresis: a source is flagged above `ban` and only cleared again below `clear`.
import { z } from 'zod';

/** The `ban` and `clear` keys, with their defaults, for a section that has more keys besides. */
export function thresholdPair(ban: number, clear: number, max = 10_000_000) {
  return {
    ban: z.number().int().min(1).max(max).default(ban),
    clear: z.number().int().min(0).max(max).default(clear),
  };
}

/** The rule that makes it a hysteresis: clear < ban, named on `clear` (even when clear was left at its default). */
export function clearBelowBan(v: { ban: number; clear: number }, ctx: z.RefinementCtx): void {
  if (v.clear >= v.ban) ctx.addIssue({ code: 'custom', path: ['clear'], message: `must be below ban (${v.ban}), is ${v.clear}` });
}

/** `{ban, clear}` with clear < ban; the defaults given apply key by key. */
export function hysteresis(ban: number, clear: number, max = 10_000_000) {
  return z.strictObject(thresholdPair(ban, clear, max)).superRefine(clearBelowBan).prefault({});
}
