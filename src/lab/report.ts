// Pure report building: per-phase legitimate stats, attack totals, defender actions, time to mitigate and time to recover.
import type { Sample } from './probe.js';
import type { Scenario } from './scenario-schema.js';
import { attackWindow, phases, type TimelineEvent } from './plan.js';
import { bucketize, bySource, summarize, within, type Bucket, type LegitStats } from './stats.js';
import type { WrkWindowResult } from './wrk-run.js';

/** Below this, a baseline p99 is noise: the recovery threshold is 2 × max(baseline p99, this). */
export const P99_FLOOR_MS = 2;

export interface DefenderAction {
  at: number;
  kind: string;
  value: string;
}

export interface AttackStepResult {
  label: string;
  kind: string;
  start: number;
  end: number;
  packetsSent: number;
  detail?: Record<string, number>;
  error?: string;
}

export interface LabReport {
  scenario: string;
  description: string;
  labId: string;
  startedAt: string;
  scale: number;
  durationMs: number;
  bucketMs: number;
  /** counters: TcpExt increases on the victim over the whole run (proof the attack reached it). */
  victim: { backlog: number; maxConnections: number; sysctls: Record<string, string | number>; counters: Record<string, number> };
  /** legit.bySource: attempts and successes per client source address. */
  phases: Array<{ name: string; start: number; end: number; legit: LegitStats & { bySource: ReturnType<typeof bySource> } }>;
  attack: { packetsSent: number; steps: AttackStepResult[] };
  events: TimelineEvent[];
  defender: { actions: DefenderAction[] } | null;
  timeToMitigateMs: number | null;
  timeToRecoverMs: number | null;
  recoveryThresholdMs: number | null;
  buckets: Bucket[];
  /** The victim server and its limits (set by the runner). */
  server?: { kind: string; limits: string };
  /** wrk's figures per window and mode, or null when the client is the probe alone. */
  wrk?: WrkWindowResult[] | null;
  files?: { dir: string; csv: string; svg: string; json: string };
}

export interface ReportInput {
  name: string;
  scenario: Scenario;
  labId: string;
  /** Epoch ms of the scenario's t = 0. */
  origin: number;
  scale: number;
  samples: readonly Sample[];
  steps: AttackStepResult[];
  events: TimelineEvent[];
  defender: { actions: DefenderAction[] } | null;
  counters?: Record<string, number>;
}

/** A bucket counts as recovered when every attempt in it succeeded and its p99 is under the threshold. */
export function bucketRecovered(b: Bucket, thresholdMs: number): boolean {
  return b.attempts > 0 && b.succeeded === b.attempts && b.p99Ms !== null && b.p99Ms < thresholdMs;
}

/**
 * ms from the attack's start to the start of the first bucket after which every bucket (with attempts) is recovered;
 * 0 when clients never suffered, null when they never recovered by the end of the run.
 */
export function timeToRecover(buckets: readonly Bucket[], attackStart: number, thresholdMs: number): number | null {
  const after = buckets.filter((b) => b.end > attackStart && b.attempts > 0);
  let first: Bucket | null = null;
  for (const b of after) {
    if (!bucketRecovered(b, thresholdMs)) first = null;
    else first ??= b;
  }
  return first === null ? null : Math.max(0, first.start - attackStart);
}

/** Builds the report of one run from its raw samples and events. */
export function buildReport(i: ReportInput): LabReport {
  const s = i.scenario;
  const durationMs = Math.round(s.durationS * 1000);
  const ph = phases(s).map((p) => {
    const inside = within(i.samples, i.origin, p.start, p.end);
    return { ...p, legit: { ...summarize(inside), bySource: bySource(inside) } };
  });
  const buckets = bucketize(i.samples, i.origin, durationMs, s.bucketMs);
  const w = attackWindow(s);
  const baseP99 = ph.find((p) => p.name === 'baseline')?.legit.p99Ms ?? null;
  const threshold = baseP99 === null ? null : 2 * Math.max(baseP99, P99_FLOOR_MS);
  // A bench's pause of the defender (RunningDefender.pause) is no mitigation.
  const firstAction = i.defender?.actions.filter((a) => a.kind !== 'paused').map((a) => a.at).filter((at) => w !== null && at >= w.start).sort((a, b) => a - b)[0];
  return {
    scenario: i.name,
    description: s.description,
    labId: i.labId,
    startedAt: new Date(i.origin).toISOString(),
    scale: i.scale,
    durationMs,
    bucketMs: s.bucketMs,
    victim: { backlog: s.victim.backlog, maxConnections: s.victim.maxConnections, sysctls: { ...s.victim.sysctls }, counters: { ...(i.counters ?? {}) } },
    phases: ph,
    attack: { packetsSent: i.steps.reduce((n, st) => n + st.packetsSent, 0), steps: i.steps },
    events: [...i.events, ...(i.defender?.actions.map((a) => ({ at: a.at, kind: 'defender' as const, value: `${a.kind} ${a.value}` })) ?? [])].sort((a, b) => a.at - b.at),
    defender: i.defender,
    timeToMitigateMs: w !== null && firstAction !== undefined ? firstAction - w.start : null,
    timeToRecoverMs: w !== null && threshold !== null ? timeToRecover(buckets, w.start, threshold) : null,
    recoveryThresholdMs: threshold,
    buckets,
  };
}
