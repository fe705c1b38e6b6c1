// Durations in the config schema: a zod string within a range, parsed strictly to ms (duration-text.ts).
import { z } from 'zod';

import { DURATION_EXAMPLE, formatDuration, parseDuration } from './duration-text.js';

export { DURATION_EXAMPLE, formatDuration, parseDuration };

/** Every schema `duration()` made: how the config printer (printable.ts) knows which ms values to write back as text. */
export const durationSchemas = new WeakSet<z.ZodType>();

/** A zod schema for a duration string within [min, max] ms; the parsed value is ms. */
export function duration(min: number, max: number) {
  const expected = `expected a duration from ${formatDuration(min)} to ${formatDuration(max)} (${DURATION_EXAMPLE})`;
  const schema = z
    .string({ error: expected })
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null || ms < min || ms > max) {
        ctx.issues.push({ code: 'custom', message: expected, input: text });
        return z.NEVER;
      }
      return ms;
    });
  durationSchemas.add(schema);
  return schema;
}
