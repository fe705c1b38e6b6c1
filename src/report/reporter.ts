// The daemon's attack reports: a recorder per attack fed by the bus, finished on attack-end and written off the
// tick. Mid-attack the recorder is checkpointed, so a restart still yields a report (recoverOpenAttacks).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DaemonEvent } from '../bus/events.js';
import type { Log } from '../core/log.js';
import type { Store } from '../store/index.js';
import { writeAtomic, writeReport } from './files.js';
import { reportMarkdown } from './markdown.js';
import { recordHardening, recordTick, RECORDER_DEFAULTS, startRecord, type RecorderOptions, type RecorderState } from './recorder.js';
import { finishReport, headline, type AttackReport, type ReportSummary } from './report.js';
import type { DecisionRecord } from '../store/index.js';

export interface ReportsDeps {
  readonly store: Store;
  /** <stateDir>/reports */
  readonly dir: string;
  readonly log: Log;
  readonly now: () => number;
  readonly recorder?: RecorderOptions;
  /** How often an attack in progress is checkpointed to disk. */
  readonly checkpointEveryMs?: number;
}

export interface Reports {
  readonly handle: (event: DaemonEvent) => void;
  /** The figures of a finished attack's report (for the attack-end message); null when unknown. */
  headline(eventId: number | null): ReportSummary | null;
  /** Writes what is pending (a finished report, or a checkpoint of the attack in progress). */
  stop(): Promise<void>;
  /** Resolves when every write queued so far is done (tests). */
  idle(): Promise<void>;
}

const ATTACK_KINDS: ReadonlySet<string> = new Set(['syn-flood', 'spoofed-syn-flood', 'cookies-coping', 'connection-flood']);
const DECISION_LIMIT = 100_000;

export const checkpointName = (eventId: number): string => `.open-${eventId}.json`;

interface Ending { readonly state: RecorderState; readonly endedAt: number; readonly decisions: DecisionRecord[] }

function decisionsSince(store: Store, since: number): DecisionRecord[] {
  return store.decisions.history({ since, limit: DECISION_LIMIT });
}

/** Starts the reports of this daemon; attacks a previous run left open are closed and reported first. */
export function startReports(deps: ReportsDeps): Reports {
  const { dir, log } = deps;
  recoverOpenAttacks(deps.store, dir, log, deps.now());
  const opts = deps.recorder ?? RECORDER_DEFAULTS;
  const every = deps.checkpointEveryMs ?? 10_000;
  let current: RecorderState | null = null;
  let ending: Ending | null = null;
  let lastCheckpoint = 0;
  const headlines = new Map<number, ReportSummary>();
  let chain: Promise<void> = Promise.resolve();

  /** Runs a file write after the current tick, one at a time; a failure is logged, never thrown. */
  const later = (what: string, fn: () => void): void => {
    chain = chain.then(() => new Promise<void>((resolve) => setImmediate(() => {
      try {
        fn();
      } catch (err) {
        log('error', 'report-write-failed', { what, error: (err as Error).message });
      }
      resolve();
    })));
  };

  const checkpoint = (s: RecorderState): void => {
    const text = JSON.stringify(s);
    later('checkpoint', () => writeAtomic(dir, checkpointName(s.eventId), text));
  };

  const write = (e: Ending): void => {
    const report = finishReport(e.state, e.endedAt, e.decisions);
    later('report', () => {
      const path = writeReport(dir, report, reportMarkdown(report));
      rmSync(join(dir, checkpointName(report.eventId)), { force: true });
      log('info', 'report', { id: report.id, path, bans: report.decisions.count, cookies: report.cookies.verdict });
    });
  };

  const handle = (e: DaemonEvent): void => {
    switch (e.type) {
      case 'attack-start':
        if (ending) write(ending);
        ending = null;
        current = startRecord({ eventId: e.eventId, kind: e.kind, summary: e.summary, evidence: e.evidence, at: e.at });
        lastCheckpoint = e.at;
        break;
      case 'tick':
        if (ending) { // the tick after attack-end: the restored sysctls are in, the report can be written
          write(ending);
          ending = null;
        }
        if (current && e.underAttack) {
          recordTick(current, { at: e.at, prev: e.prev, cur: e.cur, kind: e.assessment.kind, sources: e.sources, synSenders: e.synSenders }, opts);
          if (e.at - lastCheckpoint >= every) {
            checkpoint(current);
            lastCheckpoint = e.at;
          }
        }
        break;
      case 'hardening':
        if (current) recordHardening(current, e.at, e.mode, e.changes);
        else if (ending) recordHardening(ending.state, e.at, e.mode, e.changes);
        break;
      case 'attack-end':
        if (!current || (e.eventId !== null && e.eventId !== current.eventId)) break;
        ending = { state: current, endedAt: e.at, decisions: decisionsSince(deps.store, current.startedAt) };
        headlines.clear(); // only the latest is ever asked for
        headlines.set(current.eventId, headline(finishReport(current, e.at, ending.decisions)));
        current = null;
        break;
      case 'bans':
        break;
    }
  };

  return {
    handle,
    headline: (eventId) => (eventId === null ? null : headlines.get(eventId) ?? null),
    async stop() {
      if (ending) write(ending);
      ending = null;
      if (current) checkpoint(current);
      await chain;
    },
    idle: () => chain,
  };
}

/**
 * At start-up, before the first tick: attacks the store still holds open were cut short by a stop or a crash.
 * Each is closed at its last recorded sample (its checkpoint; the start when there is none) and gets a report
 * marked as interrupted. A flood still going on is detected again as a new attack.
 */
export function recoverOpenAttacks(store: Store, dir: string, log: Log, now: number): AttackReport[] {
  const out: AttackReport[] = [];
  for (const ev of store.events.open()) {
    if (!ATTACK_KINDS.has(ev.kind)) continue;
    const path = join(dir, checkpointName(ev.id));
    let state: RecorderState | null = null;
    try {
      if (existsSync(path)) state = JSON.parse(readFileSync(path, 'utf8')) as RecorderState;
    } catch (err) {
      log('warn', 'report-checkpoint-unreadable', { path, error: (err as Error).message });
    }
    if (state?.eventId !== ev.id) {
      const evidence = Array.isArray(ev.detail['evidence']) ? (ev.detail['evidence'] as unknown[]).map(String) : [];
      state = startRecord({ eventId: ev.id, kind: ev.kind as RecorderState['kind'], summary: ev.summary, evidence, at: ev.startedAt });
    }
    const endedAt = Math.min(now, Math.max(ev.startedAt, state.lastTickAt ?? ev.startedAt));
    const why = `the daemon stopped during the attack; closed at ${state.lastTickAt === null ? 'its start' : 'its last recorded sample'} when it restarted at ${new Date(now).toISOString()}`;
    const report = finishReport(state, endedAt, decisionsSince(store, ev.startedAt), why);
    store.events.end(ev.id, endedAt, { detail: { ...ev.detail, interrupted: true } });
    try {
      writeReport(dir, report, reportMarkdown(report));
      rmSync(path, { force: true });
    } catch (err) {
      log('error', 'report-write-failed', { what: 'recovered report', error: (err as Error).message });
    }
    log('warn', 'attack-recovered', { eventId: ev.id, report: report.id, endedAt: report.endedAt, reason: why });
    out.push(report);
  }
  return out;
}
