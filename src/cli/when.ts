// How the CLI writes times: ISO instants without milliseconds, and time left as "9m59s".

export { isoShort as iso } from '../core/format.js';

/** Time from `now` to `until`, in the two largest units: "1d2h", "3h4m", "9m59s", "5s". */
export function left(until: number, now: number): string {
  const s = Math.max(0, Math.round((until - now) / 1000));
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
