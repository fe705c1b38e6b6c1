// Number formatting for people: 182738 → "182,738". Cheaper than toLocaleString, which loads ICU on first use.

export function thousands(value: number): string {
  const v = Math.round(value);
  const digits = String(Math.abs(v));
  let out = '';
  for (let i = digits.length; i > 0; i -= 3) out = digits.slice(Math.max(0, i - 3), i) + (out ? `,${out}` : '');
  return v < 0 ? `-${out}` : out;
}
