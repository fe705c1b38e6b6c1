// Keys that moved or went away: an old config gets one line per old key, naming its new place, before validation.
import { SynguardError } from '../core/errors.js';

/** Old key → its new key, or `removed: why`. A section's keys follow it unless a more specific entry says otherwise. */
export const MOVED_KEYS: Readonly<Record<string, string>> = {
  'assessment': 'detection',
  'assessment.synFlood': 'detection.synFlood',
  'assessment.synFlood.perSourceHalfOpen': 'detection.halfOpen.ban',
  'assessment.spoofed': 'detection.spoofed',
  'assessment.connectionFlood': 'detection.established',
  'assessment.connectionFlood.perSourceEstablished': 'detection.established.ban',
  'assessment.connectionFlood.maxOffenders': 'detection.established.maxOffenders',
  'assessment.weakConfig': 'detection.weakConfig',
  'defender.detection': 'detection',
  'defender.detection.newPerSecond': 'removed: the kernel SYN-rate meter (detection.synRate) measures what a source sends',
  'defender.synRate': 'detection.synRate',
};

/** The entry for exactly this key: never one of Object.prototype's (`constructor:` in a config is just an unknown key). */
const movedTo = (key: string): string | undefined => (Object.hasOwn(MOVED_KEYS, key) ? MOVED_KEYS[key] : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasEntriesBelow = (key: string): boolean => Object.keys(MOVED_KEYS).some((k) => k.startsWith(`${key}.`));

/** Adds `old: moved to NEW` (or `old: removed: why`) for the old key `old` holding `value`, whose new place is `to`. */
function report(old: string, to: string, value: unknown, out: string[]): void {
  // Descend where a child has its own entry, so each line names the exact new key.
  if (isObject(value) && Object.keys(value).length > 0 && hasEntriesBelow(old) && !to.startsWith('removed:')) {
    for (const [k, v] of Object.entries(value)) report(`${old}.${k}`, movedTo(`${old}.${k}`) ?? `${to}.${k}`, v, out);
    return;
  }
  out.push(`${old}: ${to.startsWith('removed:') ? to : `moved to ${to}`}`);
}

/** The old keys present in a parsed (not yet validated) config, one line each, in file order. */
export function movedKeys(input: unknown): string[] {
  const out: string[] = [];
  if (!isObject(input)) return out;
  for (const [section, value] of Object.entries(input)) {
    const to = movedTo(section);
    if (to !== undefined) {
      report(section, to, value, out);
      continue;
    }
    if (!isObject(value)) continue;
    for (const [k, v] of Object.entries(value)) {
      const entry = movedTo(`${section}.${k}`);
      if (entry !== undefined) report(`${section}.${k}`, entry, v, out);
    }
  }
  return out;
}

/** Throws a config error naming every old key and its new place (exit code 2, as for any invalid config). */
export function rejectMovedKeys(input: unknown, source: string): void {
  const lines = movedKeys(input);
  if (lines.length > 0) throw new SynguardError('config', `${source}: ${lines.join('; ')}`);
}
