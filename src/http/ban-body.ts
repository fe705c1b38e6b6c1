// The body of POST /api/v1/bans, validated by zod: loaded with the first such request, not with the daemon.
import { z } from 'zod';

export const banBody = z.strictObject({
  value: z.string().max(64),
  for: z.string().max(16).optional(),
  reason: z.string().max(1000).optional(),
});
