// The defender's view of the kernel's SYN-rate meter between ticks: the last reading (rates come from two), the drops
// to confirm as bans, and the lifting of a drop the policy refused for the allow-list.
import { capsProven, meterFindings, type MeterFindings } from '../detect/syn-senders.js';
import type { Offender } from '../detect/tracker.js';
import type { PolicyResult } from '../decide/index.js';
import type { SynRateConfig } from '../config/syn-rate.js';
import type { MeterSample } from '../observe/meter.js';
import type { Log } from '../core/log.js';

/** What the tick needs of the meter: its small sets, a way to let a kernel-made drop go, and the attack state. */
export interface MeterReader {
  read(now: number): Promise<MeterSample | null>;
  lift(values: readonly string[]): Promise<void>;
  /** Puts the proven limit in force (an attack started) or lifts it (calm); failures are the reader's to log. */
  arm?(underAttack: boolean): Promise<void>;
}

const NOTHING: MeterFindings = { senders: [], offenders: [] };
const CAPPED_RELOG_MS = 10 * 60_000;

export class MeterView {
  private sample: MeterSample | null = null;
  private failed = false;
  private guardLogged = false;
  /** Capped proven clients already logged, and when: said again after CAPPED_RELOG_MS, not every tick. */
  private readonly cappedLogged = new Map<string, number>();
  /** The proven limit is in force only while an attack with real sources is on: otherwise no proven client is slowed or called capped. */
  private armed = false;
  findings: MeterFindings = NOTHING;

  constructor(private readonly reader: MeterReader | null, private readonly log: Log) {}

  /** Reads the meter's small sets; a failure is logged once and the tick goes on without the kernel's view. */
  async read(t: number, limits: SynRateConfig): Promise<void> {
    if (!this.reader) return;
    try {
      const sample = await this.reader.read(t);
      this.findings = sample ? meterFindings(this.sample, sample, this.armed ? limits : { ...limits, proven: undefined }) : NOTHING;
      this.sample = sample;
      this.sayCapped(t, limits.proven);
      if (this.failed) this.log('info', 'meter-read', { state: 'recovered' });
      this.failed = false;
    } catch (err) {
      this.findings = NOTHING;
      if (!this.failed) this.log('error', 'meter-read-failed', { error: (err as Error).message, effect: 'the kernel still drops; the daemon cannot confirm its drops until this recovers' });
      this.failed = true;
    }
  }

  /** One warning per capped proven client (again after ten minutes): a proxy or NAT may be slowed by the limit. */
  private sayCapped(t: number, limit: number): void {
    for (const s of this.findings.senders) {
      if (!s.capped || t - (this.cappedLogged.get(s.address) ?? -Infinity) < CAPPED_RELOG_MS) continue;
      this.cappedLogged.set(s.address, t);
      this.log('warn', 'proven-capped', {
        address: s.address, synPerSecond: s.synPerSecond, limit,
        effect: `a client that completes handshakes sends over ${limit} new connections per second: the kernel drops its SYNs beyond that and it retries them a second later`,
        hint: 'a proxy, NAT or load balancer behind one address: raise detection.synRate.proven or add it to the allow-list',
      });
    }
  }

  /** A new attack: the guard may speak again, and the proven limit comes into force if the attack has real sources (capsProven). */
  async attackStarted(kind: string): Promise<void> {
    this.guardLogged = false;
    if (capsProven(kind)) await this.arm(true);
  }

  /** Calm again: proven clients are no longer held to their limit. */
  async attackEnded(): Promise<void> {
    if (this.armed) await this.arm(false);
  }

  private async arm(on: boolean): Promise<void> {
    this.armed = on;
    await this.reader?.arm?.(on);
  }

  /**
   * The kernel's drops to confirm as bans this tick. A source with a ban in the kernel (`applied`) is decided: the
   * meter runs before the ban chain, so its counter grows for as long as it floods, and that is no new offence (when
   * the ban ends and it still floods, it offends again and escalates). More than `max` at once means a spoofed flood from a
   * small pool of addresses, each over its rate: the kernel drops them for its hold, and nothing becomes a ban.
   */
  offenders(applied: ReadonlyMap<string, number>, max: number, holdMs: number): Offender[] {
    const found = this.findings.offenders.filter((o) => !applied.has(o.value));
    if (found.length <= max) return found;
    if (!this.guardLogged) {
      this.log('warn', 'spoofing-guard', { reason: `${found.length} sources over the kernel's SYN rate at once (more than ${max}): likely forged; the kernel drops them for ${holdMs / 1000}s, no bans`, action: 'kernel drops only' });
      this.guardLogged = true;
    }
    return [];
  }

  /** A kernel-made drop of an allow-listed address (the list changed since the kernel last had it) is lifted at once. */
  async liftAllowed(offenders: readonly Offender[], refused: PolicyResult['refused']): Promise<void> {
    const kernel = new Set(offenders.filter((o) => o.origin === 'kernel').map((o) => o.value));
    const lift = refused.filter((x) => kernel.has(x.value) && x.why.startsWith('allow-listed')).map((x) => x.value);
    if (lift.length === 0 || !this.reader) return;
    try {
      await this.reader.lift(lift);
      this.log('info', 'meter-lifted', { values: lift, why: 'allow-listed' });
    } catch (err) {
      this.log('error', 'meter-lift-failed', { values: lift, error: (err as Error).message });
    }
  }
}
