// A threshold pair with hysteresis: a source is flagged above `ban` and only cleared again below `clear`.
import { z } from 'zod';

/** `{ban, clear}` with clear < ban; the defaults given apply key by key. */
export function hysteresis(ban: number, clear: number, max = 10_000_000) {
  return z
    .strictObject({
      ban: z.number().int().min(1).max(max).default(ban),
      clear: z.number().int().min(0).max(max).default(clear),
    })
    .superRefine((v, ctx) => {
      if (v.clear >= v.ban) {
        ctx.addIssue({ code: 'custom', path: ['clear'], message: `must be below ban (${v.ban}), is ${v.clear}` });
      }
    })
    .prefault({});
}
