// The upstream controller: on every daemon tick it reads the uplink, runs the escalation policy, records each
// announcement and withdrawal, and hands the wanted set to the BGP speaker (async: the tick never waits for BGP).
// At start it reconciles: what expired while synguard was down is ended, what is still due is announced again.
import type { DaemonEvent } from '../bus/events.js';
import type { Log } from '../core/log.js';
import type { Snapshot } from '../detect/snapshot.js';
import type { AnnouncementRecord, AnnouncementEndKind, NewAnnouncement } from '../store/announcements.js';
import { insideOwnNetworks } from './announcement.js';
import type { UpstreamConfig } from '../config/upstream.js';
import type { SpeakerStatus } from './exabgp.js';
import { decideUpstream, type Target } from './policy.js';
import { CALM, nextPressure, readLink, type PressureState } from './saturation.js';
import { attackedTarget } from './target.js';
import { failuresAfter, restartDelayMs } from './backoff.js';

/** Where announcements are recorded: the store's repository, or memory in dry-run. */
export interface AnnouncementBook {
  add(a: NewAnnouncement): AnnouncementRecord;
  open(): AnnouncementRecord[];
  endedSince(since: number): AnnouncementRecord[];
  end(id: number, now: number, by: string, kind: AnnouncementEndKind): boolean;
}

export interface Speaker {
  start(): Promise<boolean>;
  sync(wanted: readonly AnnouncementRecord[]): Promise<void>;
  stop(): Promise<void>;
  status(): SpeakerStatus;
}

export interface UpstreamDeps {
  readonly book: AnnouncementBook;
  readonly log: Log;
  readonly now: () => number;
  /** null in dry-run: decisions are logged and recorded in memory, nothing is sent. */
  readonly speaker: Speaker | null;
  /** Inbound capacity in bits per second (0: unknown, utilisation not used). */
  readonly capacityBps: number;
}

export interface UpstreamStatus {
  readonly enabled: boolean;
  readonly dryRun: boolean;
  readonly interface: string;
  readonly capacityBps: number;
  readonly pressure: { readonly pressured: boolean; readonly since: number | null; readonly signals: readonly string[];
    readonly utilisation: number | null; readonly rxBitsPerSecond: number | null; readonly rxDropsPerSecond: number | null };
  readonly speaker: SpeakerStatus | null;
  readonly refused: string | null;
  readonly announcements: readonly AnnouncementRecord[];
}

const TARGET_MEMORY_MS = 10 * 60_000;

export class UpstreamController {
  private pressure: PressureState = CALM;
  private refused: string | null = null;
  private speakerError: string | null = null;
  /** When the speaker last came up (null: not running as far as the ticks saw), when it last failed, failures in a row. */
  private speakerUpAt: number | null = null;
  private speakerDownAt = 0;
  private speakerFailures = 0;
  private lastTarget: { target: Target; at: number } | null = null;

  constructor(private readonly cfg: UpstreamConfig, private readonly deps: UpstreamDeps) {}

  /** Reconciles the record with the clock, then starts the speaker (in the background) and announces what is due. */
  start(): void {
    const now = this.deps.now();
    for (const r of this.deps.book.open()) {
      if (r.until <= now) this.end(r, now, 'expired', 'expired while synguard was not running');
    }
    const due = this.wanted(now);
    // Open automatic announcements mean an episode was going on: it stays on until calm is seen for `calm` again,
    // so a restart mid-attack never withdraws (and flaps) what is still needed.
    if (due.some((r) => r.origin === 'auto')) this.pressure = { ...CALM, pressured: true, since: now };
    this.deps.log('info', 'upstream-start', { dryRun: this.deps.speaker === null, interface: this.cfg.interface, capacityBps: this.deps.capacityBps, due: due.length });
    this.startSpeaker();
  }

  async stop(): Promise<void> {
    await this.deps.speaker?.stop();
  }

  /** The daemon-event listener: cheap, synchronous, never throws into the tick. */
  readonly onEvent = (event: DaemonEvent): void => {
    if (event.type !== 'tick') return;
    const now = event.at;
    const reading = readLink(event.prev, event.cur, this.cfg.interface, this.deps.capacityBps);
    const before = this.pressure.pressured;
    this.pressure = nextPressure(this.pressure, reading, this.cfg.saturation);
    if (this.pressure.pressured !== before) {
      this.deps.log(this.pressure.pressured ? 'warn' : 'info', this.pressure.pressured ? 'uplink-saturated' : 'uplink-calm', { signals: this.pressure.signals });
    }
    const since = this.pressure.since;
    const result = decideUpstream({
      now, pressure: this.pressure, target: this.target(event.cur, now),
      open: this.deps.book.open(), endedThisEpisode: since === null ? [] : this.deps.book.endedSince(since),
    }, this.cfg);
    for (const e of result.end) this.end(e.record, now, e.kind, e.reason);
    for (const a of result.announce) this.record(a);
    if (result.refused !== this.refused && result.refused !== null) this.deps.log('warn', 'upstream-refused', { reason: result.refused });
    this.refused = result.refused;
    this.watchSpeaker(now);
    this.push(now);
  };

  /** Records a manual or automatic announcement after the own-networks check; null when refused. */
  record(a: NewAnnouncement): AnnouncementRecord | null {
    if (!insideOwnNetworks(a.prefix, this.cfg.ownNetworks)) {
      this.deps.log('error', 'upstream-refused', { prefix: a.prefix, reason: 'outside upstream.ownNetworks: never announced' });
      return null;
    }
    const r = this.deps.book.add(a);
    this.deps.log('warn', 'upstream-announce-decided', { id: r.id, kind: r.kind, prefix: r.prefix, port: r.port, until: new Date(r.until).toISOString(), reason: r.reason, evidence: r.evidence, dryRun: this.deps.speaker === null });
    return r;
  }

  status(): UpstreamStatus {
    const last = this.pressure.last;
    return {
      enabled: true, dryRun: this.deps.speaker === null, interface: this.cfg.interface, capacityBps: this.deps.capacityBps,
      pressure: { pressured: this.pressure.pressured, since: this.pressure.since, signals: this.pressure.signals,
        utilisation: last?.utilisation ?? null, rxBitsPerSecond: last?.rxBitsPerSecond ?? null, rxDropsPerSecond: last?.rxDropsPerSecond ?? null },
      speaker: this.deps.speaker?.status() ?? null,
      refused: this.refused,
      announcements: this.deps.book.open(),
    };
  }

  /**
   * The attacked destination. It is remembered from the hot readings: once the host bans the flood's sources, their
   * SYNs no longer show as half-open, yet they still fill the uplink.
   */
  private target(cur: Snapshot, now: number): Target | null {
    if (this.pressure.hotSince === null && !this.pressure.pressured) return null;
    const seen = attackedTarget(cur);
    if (seen !== null) this.lastTarget = { target: seen, at: now };
    if (!this.pressure.pressured) return null;
    return this.lastTarget !== null && now - this.lastTarget.at <= TARGET_MEMORY_MS ? this.lastTarget.target : null;
  }

  private end(r: AnnouncementRecord, now: number, kind: AnnouncementEndKind, reason: string): void {
    if (this.deps.book.end(r.id, now, 'daemon', kind)) {
      this.deps.log('info', 'upstream-withdraw-decided', { id: r.id, kind: r.kind, prefix: r.prefix, port: r.port, end: kind, reason, dryRun: this.deps.speaker === null });
    }
  }

  /** Open, unexpired announcements inside the own networks: exactly what the provider should have. */
  private wanted(now: number): AnnouncementRecord[] {
    return this.deps.book.open().filter((r) => r.until > now && insideOwnNetworks(r.prefix, this.cfg.ownNetworks));
  }

  private push(now: number): void {
    void this.deps.speaker?.sync(this.wanted(now));
  }

  /**
   * A speaker that died while running is said once (`exabgp-exited`); a failed one is started again a delay after
   * the failure that doubles with each failure in a row (a crash loop: 1, 2, 4, 8, then 15 min), so the log and the
   * restarts stay bounded whatever ExaBGP does.
   */
  private watchSpeaker(now: number): void {
    const status = this.deps.speaker?.status();
    if (status?.state !== 'failed') return;
    if (this.speakerUpAt !== null) {
      this.speakerFailures = failuresAfter(this.speakerFailures, now - this.speakerUpAt);
      this.speakerUpAt = null;
      this.speakerDownAt = now;
      this.speakerError = status.error;
      this.deps.log('error', 'exabgp-exited', { error: status.error, note: 'no upstream announcements; host-level defence carries on', retry: `${restartDelayMs(this.speakerFailures) / 1000} s` });
    }
    if (now - this.speakerDownAt >= restartDelayMs(this.speakerFailures)) this.startSpeaker();
  }

  private startSpeaker(): void {
    const speaker = this.deps.speaker;
    if (!speaker) return;
    void speaker.start().then((ok) => {
      const error = speaker.status().error;
      if (ok) {
        this.speakerUpAt = this.deps.now();
        this.speakerError = null;
        this.deps.log('info', 'exabgp-started', { peer: this.cfg.bgp.peer });
        this.push(this.deps.now());
        return;
      }
      this.speakerFailures = failuresAfter(this.speakerFailures, 0);
      this.speakerDownAt = this.deps.now();
      if (error !== this.speakerError) {
        this.speakerError = error;
        this.deps.log('error', 'exabgp-failed', { error, note: 'no upstream announcements; host-level defence carries on', retry: `${restartDelayMs(this.speakerFailures) / 1000} s, then less often while it keeps failing` });
      }
    });
  }
}
