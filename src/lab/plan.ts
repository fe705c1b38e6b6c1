// Pure timing of a scenario run: duration scaling for short runs, the timeline of events, and the phases it is cut into.
import type { AttackStep, Scenario } from './scenario-schema.js';

export interface TimelineEvent {
  /** ms since the scenario's start. */
  at: number;
  kind: 'attack-start' | 'attack-stop' | 'change' | 'defender';
  value: string;
}

export interface PhaseWindow {
  name: string;
  start: number;
  end: number;
}

const ms = (s: number): number => Math.round(s * 1000);

/** Scales every time in the scenario by `factor` (short runs); buckets shrink too but stay ≥ 250 ms. */
export function scaleScenario(s: Scenario, factor: number): Scenario {
  if (!(factor > 0)) throw new RangeError(`scale must be positive, got ${factor}`);
  if (factor === 1) return s;
  const t = (x: number): number => Math.round(x * factor * 1000) / 1000;
  return Object.freeze({
    ...s,
    durationS: t(s.durationS),
    bucketMs: Math.max(250, Math.round((s.bucketMs * factor) / 50) * 50),
    attacks: s.attacks.map((a) => ({ ...a, startS: t(a.startS), stopS: t(a.stopS) })),
    changes: s.changes.map((c) => ({ ...c, atS: t(c.atS) })),
  });
}

/** A short label for an attack step, e.g. `syn-flood#1 (IPv4, spoofed 198.19.0.0/16)`. */
export function attackLabel(a: AttackStep, index: number): string {
  const extra = a.kind === 'syn-flood' && a.spoof ? `, spoofed ${a.spoof}` : '';
  return `${a.kind}#${index + 1} (IPv${a.family}, attacker ${a.attacker}${extra})`;
}

/** Every scheduled event of the scenario, in time order. */
export function scheduledEvents(s: Scenario): TimelineEvent[] {
  const ev: TimelineEvent[] = [];
  s.attacks.forEach((a, i) => {
    ev.push({ at: ms(a.startS), kind: 'attack-start', value: attackLabel(a, i) });
    ev.push({ at: ms(a.stopS), kind: 'attack-stop', value: attackLabel(a, i) });
  });
  for (const c of s.changes) {
    ev.push({ at: ms(c.atS), kind: 'change', value: Object.entries(c.sysctls).map(([k, v]) => `${k}=${String(v)}`).join(' ') });
  }
  return ev.sort((x, y) => x.at - y.at);
}

/** The attack window [first start, last stop) in ms, or null when the scenario has no attack. */
export function attackWindow(s: Scenario): { start: number; end: number } | null {
  if (s.attacks.length === 0) return null;
  return { start: Math.min(...s.attacks.map((a) => ms(a.startS))), end: Math.max(...s.attacks.map((a) => ms(a.stopS))) };
}

/**
 * Cuts the run into phases: `baseline` before the first attack, `attack` from the first start, one more
 * `attack: <what changed>` phase at each later start, stop or victim change inside the window, then `recovery`.
 */
export function phases(s: Scenario): PhaseWindow[] {
  const total = ms(s.durationS);
  const w = attackWindow(s);
  if (!w) return [{ name: 'baseline', start: 0, end: total }];
  const out: PhaseWindow[] = [{ name: 'baseline', start: 0, end: w.start }];
  const cuts = scheduledEvents(s).filter((e) => e.at > w.start && e.at < w.end);
  let start = w.start;
  let name = 'attack';
  for (const e of cuts) {
    if (e.at > start) out.push({ name, start, end: e.at });
    const what = e.kind === 'change' ? e.value : `${e.value.split(' ')[0] ?? ''} ${e.kind === 'attack-start' ? 'starts' : 'stops'}`;
    name = e.at > start ? `attack: ${what}` : `${name}, ${what}`;
    start = e.at;
  }
  out.push({ name, start, end: w.end });
  if (w.end < total) out.push({ name: 'recovery', start: w.end, end: total });
  return out.filter((p) => p.end > p.start);
}

/** wrk's result is one figure per run, so it runs once per window: the target is "p99 under 2× baseline from 5 s after the flood starts". */
export const SETTLE_MS = 5000;

/**
 * The windows wrk runs in: the warm-up before t = 0 (client.warmUpS, unmeasured by the tables), baseline, the attack's
 * first 5 s, the rest of the attack, recovery (windows under 1 s dropped).
 */
export function wrkWindows(s: Scenario): PhaseWindow[] {
  const total = ms(s.durationS);
  const w = attackWindow(s);
  const warm = ms(s.client.warmUpS);
  const warmUp: PhaseWindow[] = warm > 0 ? [{ name: 'warm-up', start: -warm, end: 0 }] : [];
  if (!w) return total >= 1000 ? [...warmUp, { name: 'baseline', start: 0, end: total }] : [];
  const settled = Math.min(w.start + SETTLE_MS, w.end);
  return [
    ...warmUp,
    { name: 'baseline', start: 0, end: w.start },
    { name: 'attack, first 5 s', start: w.start, end: settled },
    { name: 'attack, after 5 s', start: settled, end: w.end },
    { name: 'recovery', start: w.end, end: total },
  ].filter((p) => p.end - p.start >= 1000);
}
