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
import type { DaemonEvent } from './events.js';
import { MeterView, type MeterReader } from './meter-view.js';

export type { MeterReader } from './meter-view.js';
import type { Log } from './log.js';
import { afterCommit, diffBans } from './sync.js';
import { adoptable } from './store-guard.js';

export type DecideInput = Omit<PolicyInput, 'allow' | 'config'>;

export interface DefenderDeps {
  readonly store: Store;
  /** null in dry-run: decisions are logged, nothing is stored or enforced. */
  readonly enforcer: Enforcer | null;
  readonly log: Log;
  readonly sample: () => Promise<RawSample>;
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
  private applied = new Map<string, number>();
  /** The store revision the kernel was last brought in line with, and the earliest expiry among applied bans. */
  private synced: { revision: string; nextExpiry: number } | null = null;
  private eventId: number | null = null;
  private guardLogged = false;
  /** New prefix bans whose proven clients are spared (defender.bans.spareProven), looked up at the next commit. */
  private spareIn: Array<{ prefix: string; until: number }> = [];
  private hardened = false;
  private readonly meter: MeterView;
  /** Counts of the sources climbing towards a threshold, between ticks. */
  private climbing: ReadonlyMap<string, number> = new Map();
  /** A source is climbing towards a ban threshold: the run loop looks again sooner (FAST_TICK_S). */
  urgent = false;
  lastAssessment: Assessment | null = null;

  constructor(
    private config: Config,
    private readonly deps: DefenderDeps,
  ) {
    this.meter = new MeterView(deps.meter ?? null, deps.log);
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
    const { enforcer, now, log, store } = this.deps;
    if (!enforcer) return;
    await enforcer.init();
    const t = now();
    const kernel = await enforcer.list(t);
    // What the kernel holds counts as applied; a route (no kernel expiry) is applied "until the store says".
    this.applied = new Map(kernel.map((k) => [k.value, k.until ?? Number.MAX_SAFE_INTEGER]));
    this.synced = null; // a second start (after a clock step) must diff against what the kernel holds now
    // A store that cannot write at start-up (disk still full): the kernel's bans it lacks are adopted, not removed.
    if (store.health?.().writable === false) store.decisions.insertMany(adoptable(kernel, store.decisions.active(t), t));
    const active = store.decisions.active(t);
    const result = await this.sync(t, () => active);
    log('info', 'reconcile', { backend: enforcer.name, inStore: active.length, inKernel: kernel.length, added: result.added, removed: result.removed });
  }

  async tick(): Promise<void> {
    const { store, log, now } = this.deps;
    const cfg = this.config;
    const cur = buildSnapshot(await this.deps.sample(), cfg.prefixes);
    const t = now();
    await this.meter.read(t, cfg.detection.synRate);
    const sources = summarizeSources(cur, defenderSourceOptions(cfg.detection));
    const assessment = assess(this.prev, cur, cfg.detection, sources, this.meter.findings.senders);
    const approach = approaching(this.climbing, sources, cfg.detection);
    this.climbing = approach.counts;
    this.urgent = approach.rising;
    const out = track(this.tracker, {
      assessment, sources, detection: cfg.detection,
      calmMs: cfg.defender.hardening.calmDown, now: t,
    });
    const emit = this.deps.emit ?? (() => undefined);
    const ending = this.tracker.attack; // the attack that may end this tick (the new state is CALM)
    const prev = this.prev;
    this.before = this.prev;
    this.prev = cur;
    this.tracker = out.state;
    this.lastAssessment = assessment;

    if (out.changed === 'started') {
      log('warn', 'attack-start', { kind: assessment.kind, summary: assessment.summary, evidence: assessment.evidence });
      this.eventId = store.events.start(assessment.kind, assessment.summary, t, { evidence: assessment.evidence });
      emit({ type: 'attack-start', at: t, eventId: this.eventId, kind: assessment.kind, summary: assessment.summary, evidence: assessment.evidence });
      this.guardLogged = false;
      this.meter.attackStarted();
      if (SYN_KINDS.has(assessment.kind)) await this.setHardening('attack', t);
      for (const advice of backlogAdvice(cur.listeners, cfg.defender.hardening.somaxconn)) log('warn', 'listener-backlog', { advice });
    } else if (out.changed === 'ended') {
      log('info', 'attack-end', { kind: ending.kind });
      if (this.eventId !== null) store.events.end(this.eventId, t);
      emit({ type: 'attack-end', at: t, eventId: this.eventId, kind: ending.kind, startedAt: ending.since });
      this.eventId = null;
      await this.setHardening('calm', t);
    }
    emit({ type: 'tick', at: t, prev, cur, assessment, sources, underAttack: out.state.attack.active, synSenders: this.meter.findings.senders });
    if (out.spoofed && !this.guardLogged) {
      log('warn', 'spoofing-guard', { reason: out.guardReason, action: 'no bans; SYN defences raised instead' });
      this.guardLogged = true;
      if (!this.hardened) await this.setHardening('attack', t);
    }
    // Kernel first: a value found by both keeps origin 'kernel'.
    const kernel = this.meter.offenders(this.applied, cfg.detection.synFlood.maxOffenders, cfg.detection.synRate.hold);
    const offenders = [...kernel, ...out.offenders];
    if (offenders.length > 0) await this.decide(offenders, out.spoofed, t);
    await this.sync(t);
  }



  private async decide(offenders: readonly Offender[], spoofed: boolean, t: number): Promise<void> {
    const { store, log, enforcer } = this.deps;
    const active = store.decisions.active(t);
    const offenceCounts = store.decisions.offences(offenceValues(offenders, this.config), t, this.config.defender.bans.memory);
    const r = this.deps.decide({ offenders, spoofed, active, offenceCounts, now: t });
    for (const x of r.refused) log('info', 'refused', { value: x.value, why: x.why });
    await this.meter.liftAllowed(offenders, r.refused);
    if (r.decisions.length + r.extended.length + r.superseded.length === 0) return;
    if (!enforcer) {
      for (const d of r.decisions) log('info', 'ban', { ...decisionFields(d), dryRun: true });
      return;
    }
    // Stored before applied, all in one transaction: a crash leaves the store either before or after this tick.
    const saved = store.transaction(() => {
      const inserted = store.decisions.insertMany(r.decisions);
      for (const e of r.extended) if (e.id !== undefined) store.decisions.extend(e.id, e.until, t);
      for (const s of r.superseded) if (s.id !== undefined) store.decisions.end(s.id, { now: t, by: 'daemon: superseded by a prefix ban', kind: 'superseded' });
      return inserted;
    });
    for (const d of saved) {
      log('warn', 'ban', decisionFields(d));
      // Not for a connection flood spread over the prefix: its attackers complete handshakes too.
      if (d.scope === 'prefix' && this.config.defender.bans.spareProven && !d.reason.startsWith('connection flood from one prefix')) {
        this.spareIn.push({ prefix: d.value, until: d.until });
      }
    }
    if (saved.length > 0) this.deps.emit?.({ type: 'bans', at: t, decisions: saved });
    for (const e of r.extended) log('info', 'ban-extended', decisionFields(e));
    for (const s of r.superseded) log('info', 'ban-superseded', { value: s.value });
  }


  /** Buffers the spares of this tick's new prefix bans: the proven clients inside them, from the kernel's record. */
  private async spare(enforcer: Enforcer): Promise<string[]> {
    const { log } = this.deps;
    const pending = this.spareIn;
    this.spareIn = [];
    const spared: string[] = [];
    if (!enforcer.spare || !enforcer.provenWithin) return spared;
    for (const { prefix, until } of pending) {
      try {
        const proven = await enforcer.provenWithin(prefix, SPARES_PER_PREFIX);
        for (const address of proven) enforcer.spare(address, until); // kept by the backend if the commit fails
        spared.push(...proven);
        if (proven.length > 0) log('info', 'spared', { value: prefix, count: proven.length, sample: proven.slice(0, 10) });
      } catch (err) {
        log('error', 'spare-failed', { prefix, error: (err as Error).message });
      }
    }
    return spared;
  }

  /** Brings the kernel in line with the store: new bans, extended bans, unbans. Retried next tick on failure. */
  private async sync(t: number, active = () => this.deps.store.decisions.active(t)): Promise<{ added: number; removed: number }> {
    const { enforcer, log, killSockets, store } = this.deps;
    if (!enforcer) return { added: 0, removed: 0 };
    const kernelExpires = enforcer.kernelExpires;
    // Nothing written since the last sync and nothing due to expire by our hand: the diff is empty (cheap at 100k bans).
    const revision = store.decisions.revision();
    if (this.synced?.revision === revision && (kernelExpires || t < this.synced.nextExpiry)) return { added: 0, removed: 0 };
    const diff = diffBans(active(), this.applied, t, kernelExpires);
    const done = () => {
      let nextExpiry = Infinity;
      for (const until of this.applied.values()) if (until < nextExpiry) nextExpiry = until;
      this.synced = { revision, nextExpiry };
    };
    if (diff.add.length === 0 && diff.remove.length === 0) {
      done();
      return { added: 0, removed: 0 };
    }
    for (const b of diff.add) enforcer.add(b);
    for (const v of diff.remove) enforcer.delete(v);
    const spared = await this.spare(enforcer);
    try {
      await enforcer.commit(t);
    } catch (err) {
      log('error', 'commit-failed', { error: (err as Error).message, add: diff.add.length, remove: diff.remove.length, retry: 'next tick' });
      return { added: 0, removed: 0 };
    }
    const fresh = diff.add.filter((b) => !this.applied.has(b.value)).map((b) => b.value);
    this.applied = afterCommit(this.applied, diff, t);
    done();
    log('info', 'commit', { backend: enforcer.name, added: diff.add.length, removed: diff.remove.length });
    if (killSockets && this.config.defender.killSockets && fresh.length > 0) {
      try {
        const killed = await killSockets(fresh, spared);
        if (killed > 0) log('info', 'sockets-killed', { count: killed, sources: fresh.slice(0, 20) });
      } catch (err) {
        log('error', 'socket-kill-failed', { error: (err as Error).message });
      }
    }
    return { added: diff.add.length, removed: diff.remove.length };
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

const SPARES_PER_PREFIX = 256;

function decisionFields(d: Decision): Record<string, unknown> {
  return { value: d.value, scope: d.scope, reason: d.reason, evidence: d.evidence, origin: d.origin, offence: d.offence, until: new Date(d.until).toISOString() };
}
