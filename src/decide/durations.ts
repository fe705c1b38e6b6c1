// How long a ban lasts: base × factor^(offence − 1), capped at the maximum (a repeat offender's ban grows).
import type { BansConfig } from '../config/schema.js';

/** Ban length in ms for the given offence (1 for a first offence). */
export function banDuration(offence: number, bans: Pick<BansConfig, 'base' | 'factor' | 'max'>): number {
  const grown = bans.base * bans.factor ** Math.max(0, offence - 1);
  return Math.round(Math.min(bans.max, Number.isFinite(grown) ? grown : bans.max));
}
