// Number formatting for people: 182738 → "182,738". Cheaper than toLocaleString, which loads ICU on first use.

export function thousands(value: number): string {
  const v = Math.round(value);
  const digits = String(Math.abs(v));
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) out = digits.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '');
  return v < 0 ? `-${out}` : out;
}

/** ms since the epoch as ISO 8601 UTC text: 2026-12-02T23:30:00.000Z. */
export const iso = (ms: number): string => new Date(ms).toISOString();

const p2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const p3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
const LAST_MS = 253_402_300_800_000; // 10000-01-01: beyond it (and before 1970) Date's own text is used

/**
 * `new Date(ms).toISOString()` without ".000" (for people: 2026-12-02T23:30:00Z): the same text, computed with integer arithmetic (days to civil date,
 * H. Hinnant's algorithm), about five times faster: `bans --json` writes two per ban, 200,000 for 100k bans.
 */
export function isoShort(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= LAST_MS) return new Date(ms).toISOString().replace('.000Z', 'Z');
  const days = Math.floor(ms / 86_400_000);
  const inDay = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const msPart = inDay % 1000;
  const secs = (inDay - msPart) / 1000;
  const time = `${p2(Math.floor(secs / 3600))}:${p2(Math.floor(secs / 60) % 60)}:${p2(secs % 60)}`;
  const yearText = year < 1000 ? `000${year}`.slice(-4) : `${year}`;
  return `${yearText}-${p2(month)}-${p2(day)}T${time}${msPart === 0 ? '' : `.${p3(msPart)}`}Z`;
}
