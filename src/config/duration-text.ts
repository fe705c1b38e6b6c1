// Durations as written in the config and on the command line ("30s", "10m", "1h", "7d"), parsed strictly to ms.
// No zod here: the daemon and the CLI read and write durations without loading the schema library.
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;
const PATTERN = /^([1-9]\d{0,8})(s|m|h|d)$/;

export const DURATION_EXAMPLE = 'e.g. "30s", "10m", "1h" or "7d"';

/** Milliseconds of a duration like "30s", "10m", "1h", "7d" (one positive integer and one unit), or null. */
export function parseDuration(text: string): number | null {
  const m = PATTERN.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[m[2] as Unit];
}

/** The shortest exact text for a number of ms: 600000 → "10m", 90000 → "90s"; below a second, "Nms". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
