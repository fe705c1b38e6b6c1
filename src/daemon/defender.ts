// The defender's tick: look, judge, decide, store, enforce. Every effect comes in as a dependency, so a test can
// drive ticks with captured snapshots and a fixed clock.
import type { Decision } from '../core/decision.js';
import type { Config } from '../config/schema.js';
import { assess, type Assessment } from '../detect/assess.js';
import { backlogAdvice } from '../detect/backlog-advice.js';
import { buildReport, type StatusReport } from '../detect/report.js';
import { buildSnapshot, type RawSample, type Snapshot } from '../detect/snapshot.js';
import { summarizeSources } from '../detect/sources.js';
import { approaching } from '../detect/approaching.js';
import { defenderSourceOptions, INITIAL, track, type Offender, type TrackerState } from '../detect/tracker.js';
import type { Enforcer } from '../enforce/types.js';
import type { Store } from '../store/index.js';
import { offenceValues, type PolicyInput, type PolicyResult } from '../decide/index.js';
import type { DaemonEvent } from '../bus/events.js';
import { MeterView, type MeterReader } from './meter-view.js';

export type { MeterReader } from './meter-view.js';
import type { Log } from '../core/log.js';
import type { TableWord } from '../observe/sample.js';
import { Reconciler } from './reconciler.js';

export type DecideInput = Omit<PolicyInput, 'allow' | 'config'>;

export interface DefenderDeps {
  readonly store: Store;
  /** The backend; the dry-run one (`enforces: false`) makes every decision a dry run's, stored flagged `dryRun`. */
  readonly enforcer: Enforcer;
  readonly log: Log;
  /** One sample of the kernel; a word (see Defender.tableWord) lets it reuse the last walk of the socket table. */
  readonly sample: (word: TableWord) => Promise<RawSample>;
  /** The ban policy with the allow-list already bound (src/decide). */
  readonly decide: (input: DecideInput) => PolicyResult;
  /** Destroys the sockets of these sources (but not of the `except` peers); resolves with how many were killed. */
  readonly killSockets: ((values: readonly string[], except: readonly string[]) => Promise<number>) | null;
  /** Raises the SYN defences (attack) or restores the originals (calm); resolves with a summary for the log. */
  readonly harden: ((mode: 'attack' | 'calm', now: number) => Promise<string[]>) | null;
  readonly now: () => number;
  /** Where the defender reports what happens (dashboard, notifications, reports); nothing when absent. */
  readonly emit?: (event: DaemonEvent) => void;
  /** The kernel's SYN-rate meter (nftables, or count-only in dry-run); absent or null when off. */
  readonly meter?: MeterReader | null;
}

const SYN_KINDS = new Set(['syn-flood', 'spoofed-syn-flood', 'cookies-coping']);

export class Defender {
  private prev: Snapshot | undefined;
  /** The snapshot before `prev`, kept so the status report can show rates (built only when asked). */
  private before: Snapshot | undefined;
  private tracker: TrackerState = INITIAL;
  private eventId: number | null = null;
  private guardLogged = false;
  private hardened = false;
  private readonly meter: MeterView;
  private readonly kernel: Reconciler;
  /** Counts of the sources climbing towards a threshold, between ticks. */
  private climbing: ReadonlyMap<string, number> = new Map();
  private rising = false;
  /** The walk of the socket table the last tick read: the same again means a reused walk (daemon/table-reuse.ts). */
  private lastTally: RawSample['tally'] | null = null;
  /** A source is climbing towards a ban threshold, or a prefix holds a full server's slots: the run loop looks again sooner (FAST_TICK_S). */
  urgent = false;
  lastAssessment: Assessment | null = null;

  constructor(
    private config: Config,
    private readonly deps: DefenderDeps,
  ) {
    this.meter = new MeterView(deps.meter ?? null, deps.log);
    this.kernel = new Reconciler({ enforcer: deps.enforcer, store: deps.store, log: deps.log, killSockets: deps.killSockets, config: () => this.config });
  }

  /**
   * Whether the next tick may reuse the last walk of the socket table (table-reuse.ts), for a few seconds at most:
   * - `quiet`: calm, nothing assessed but weak settings, while no counter shows SYN pressure and the established count
   *   holds;
   * - `steady-flood`: a spoofed SYN flood that cookies carry, nobody named (the assessment's, the meter's), while no
   *   counter shows a SYN dropped or an accept queue overflowing and the established count holds. The table then
   *   shows only forged sources, one half-open entry each; a real source among them is the meter's to find.
   * Never with a source near a threshold, a listener full, or a kernel drop in the meter's last reading: null, walk.
   */
  get tableWord(): TableWord {
    const a = this.lastAssessment;
    const kind = a?.kind ?? 'none';
    if (this.urgent || this.climbing.size > 0 || this.meter.findings.offenders.length > 0 || (this.tracker.capacity?.fullSince ?? null) !== null) return null;
    if (!this.tracker.attack.active) return kind === 'none' || kind === 'weak-config' ? 'quiet' : null;
    return (kind === 'spoofed-syn-flood' || kind === 'cookies-coping') && a?.offenders.length === 0 ? 'steady-flood' : null;
  }

  /** The same report `synguard status --json` prints, for the latest tick; null before the first one. */
  statusReport(top = 10): StatusReport | null {
    return this.prev ? buildReport(this.before, this.prev, this.config.detection, top, this.meter.findings.senders) : null;
  }

  /** A new, already validated config (SIGHUP). */
  reconfigure(config: Config): void {
    this.config = config;
  }

  /** Start-up: create the kernel objects, then make the kernel match the store (re-apply, remove stale state). */
  async start(): Promise<void> {
    await this.kernel.start(this.deps.now());
  }

  async tick(): Promise<void> {
    const { store, log, now } = this.deps;
    const cfg = this.config;
    const t = now();
    const word = this.tableWord;
    let raw = await this.deps.sample(word);
    await this.meter.read(t, cfg.detection.synRate);
    // A quiet or steady sample may reuse an old walk of the socket table; a kernel drop this very second means a
    // flood (or a real source inside one) has begun: the table is walked now (after the meter, so a source both see
    // keeps origin 'kernel').
    if (word !== null && this.tableWord === null) raw = await this.deps.sample(null);
    const cur = buildSnapshot(raw, cfg.prefixes);
    const sources = summarizeSources(cur, defenderSourceOptions(cfg.detection));
    const assessment = assess(this.prev, cur, cfg.detection, sources, this.meter.findings.senders);
    // A reused walk shows nothing new, so it cannot say a source stopped climbing: the looks stay sooner until a
    // fresh walk. (A walk too costly to repeat within 0.2 s made a slowloris climbing at 100 connections/s look
    // flat for one tick: the daemon then waited a whole second and banned at 1.75 s, not 0.75 s: issue 14, round 19.)
    if (raw.tally !== this.lastTally) {
      const approach = approaching(this.climbing, sources, cfg.detection);
      this.climbing = approach.counts;
      this.rising = approach.rising;
    }
    this.lastTally = raw.tally;
    const out = track(this.tracker, {
      assessment, sources, detection: cfg.detection,
      calmMs: cfg.defender.hardening.calmDown, now: t,
      listeners: cur.listeners, established: cur.established,
    });
    this.urgent = this.rising || out.capacityPending;
    const emit = this.deps.emit ?? (() => undefined);
    const ending = this.tracker.attack; // the attack that may end this tick (the new state is CALM)
    const prev = this.prev;
    this.before = this.prev;
    this.prev = cur;
    this.tracker = out.state;
    this.lastAssessment = assessment;

    if (out.changed === 'started') {
      const v = out.verdict; // the assessment, or the capacity detector's connection flood
      log('warn', 'attack-start', { kind: v.kind, summary: v.summary, evidence: v.evidence });
      this.eventId = store.events.start(v.kind, v.summary, t, { evidence: v.evidence });
      emit({ type: 'attack-start', at: t, eventId: this.eventId, kind: v.kind, summary: v.summary, evidence: v.evidence });
      this.guardLogged = false;
      await this.meter.attackStarted(v.kind);
      if (SYN_KINDS.has(assessment.kind)) await this.setHardening('attack', t);
      for (const advice of backlogAdvice(cur.listeners, cfg.defender.hardening.somaxconn)) log('warn', 'listener-backlog', { advice });
    } else if (out.changed === 'ended') {
      log('info', 'attack-end', { kind: ending.kind });
      if (this.eventId !== null) store.events.end(this.eventId, t);
      emit({ type: 'attack-end', at: t, eventId: this.eventId, kind: ending.kind, startedAt: ending.since });
      this.eventId = null;
      await this.meter.attackEnded();
      await this.setHardening('calm', t);
    }
    emit({ type: 'tick', at: t, prev, cur, assessment, sources, underAttack: out.state.attack.active, synSenders: this.meter.findings.senders });
    if (out.spoofed && !this.guardLogged) {
      log('warn', 'spoofing-guard', { reason: out.guardReason, action: 'no bans; SYN defences raised instead' });
      this.guardLogged = true;
      if (!this.hardened) await this.setHardening('attack', t);
    }
    // Kernel first: a value found by both keeps origin 'kernel'.
    const kernel = this.meter.offenders(this.kernel.applied, cfg.detection.synFlood.maxOffenders, cfg.detection.synRate.hold);
    const offenders = [...kernel, ...out.offenders];
    if (offenders.length > 0) await this.decide(offenders, out.spoofed, t);
    await this.kernel.sync(t);
    await this.kernel.rest(t);
  }



  private async decide(offenders: readonly Offender[], spoofed: boolean, t: number): Promise<void> {
    const { store, log } = this.deps;
    // A dry run decides against its own records, so it neither repeats a decision every tick nor touches real ones.
    const dryRun = !this.deps.enforcer.enforces;
    const active = store.decisions.active(t, dryRun);
    const offenceCounts = store.decisions.offences(offenceValues(offenders, this.config), t, this.config.defender.bans.memory, dryRun);
    const r = this.deps.decide({ offenders, spoofed, active, offenceCounts, now: t });
    for (const x of r.refused) log('info', 'refused', { value: x.value, why: x.why });
    await this.meter.liftAllowed(offenders, r.refused);
    if (r.decisions.length + r.extended.length + r.superseded.length === 0) return;
    // Stored before applied, all in one transaction: a crash leaves the store either before or after this tick.
    const saved = store.transaction(() => {
      const inserted = store.decisions.insertMany(dryRun ? r.decisions.map((d) => ({ ...d, dryRun })) : r.decisions);
      for (const e of r.extended) if (e.id !== undefined) store.decisions.extend(e.id, e.until, t);
      for (const s of r.superseded) if (s.id !== undefined) store.decisions.end(s.id, { now: t, by: 'daemon: superseded by a prefix ban', kind: 'superseded' });
      return inserted;
    });
    if (dryRun) {
      for (const d of saved) log('info', 'ban', { ...decisionFields(d), dryRun });
      return;
    }
    for (const d of saved) {
      log('warn', 'ban', decisionFields(d));
      // Not for a connection flood spread over the prefix: its attackers complete handshakes too.
      if (d.scope === 'prefix' && this.config.defender.bans.spareProven && !d.reason.startsWith('connection flood from one prefix')) {
        // The offending addresses a prefix ban was made from are never spared: slot holders complete handshakes too.
        this.kernel.spareWithin(d.value, d.until, offenders.map((o) => o.value.replace(/\/(32|128)$/, '')));
      }
    }
    if (saved.length > 0) this.deps.emit?.({ type: 'bans', at: t, decisions: saved });
    for (const e of r.extended) log('info', 'ban-extended', decisionFields(e));
    for (const s of r.superseded) log('info', 'ban-superseded', { value: s.value });
  }



  private async setHardening(mode: 'attack' | 'calm', t: number): Promise<void> {
    const { harden, log } = this.deps;
    if (!harden || !this.config.defender.hardening.enabled || (mode === 'attack') === this.hardened) return;
    try {
      const changes = await harden(mode, t);
      this.hardened = mode === 'attack';
      log('warn', mode === 'attack' ? 'harden' : 'restore', { changes });
      this.deps.emit?.({ type: 'hardening', at: t, mode, changes });
    } catch (err) {
      log('error', mode === 'attack' ? 'harden-failed' : 'restore-failed', { error: (err as Error).message });
    }
  }
}

function decisionFields(d: Decision): Record<string, unknown> {
  return { value: d.value, scope: d.scope, reason: d.reason, evidence: d.evidence, origin: d.origin, offence: d.offence, until: new Date(d.until).toISOString() };
}
