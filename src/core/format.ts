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

/** The same without zero milliseconds, for people: 2026-12-02T23:30:00Z. */
export const isoShort = (ms: number): string => iso(ms).replace('.000Z', 'Z');
