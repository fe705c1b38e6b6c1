// From two readings of the kernel's SYN-rate meter: each metered source's rate, and the kernel-made drops the daemon
// must judge this tick. Pure: the readings carry their time.
import type { MeterElement, MeterSample } from '../observe/meter.js';
import type { Offender } from './offender.js';

export interface SynSender {
  /** An address, or a prefix as CIDR text (the unproven sources of a /24 or /64 together). */
  readonly address: string;
  /** Packets per second the kernel counted from it (SYNs, for all practical purposes). */
  readonly synPerSecond: number;
  /** It completed handshakes with this host lately: never dropped for its rate. */
  readonly proven: boolean;
  /** The kernel is dropping it (provisionally, until the daemon decides). */
  readonly dropped: boolean;
  /**
   * Proven, yet over its own limit (`detection.synRate.proven`): the kernel drops its SYNs beyond it, and the client
   * retries them a second later. Set only when true. A proxy or NAT behind one address may need a higher limit.
   */
  readonly capped?: true;
}

export interface MeterFindings {
  /** Sorted by rate, highest first. */
  readonly senders: SynSender[];
  /** Kernel-made drops that are new or still sending: the policy turns them into bans (origin 'kernel'). */
  readonly offenders: Offender[];
}

const hostText = (value: string): string => value.replace(/\/(32|128)$/, '');

/** Rate since the previous reading when the element was in it (and its counter did not restart), else over its age. */
function rate(e: MeterElement, before: MeterElement | undefined, seconds: number): number {
  if (before && e.packets >= before.packets && seconds > 0) return (e.packets - before.packets) / seconds;
  return e.packets / Math.max(1, e.ageMs / 1000);
}

/**
 * Whether an attack of this kind puts the proven limit (`detection.synRate.proven`) in force: only an attack with real
 * sources, a SYN flood from a few addresses or a connection flood. A forged address never completes a handshake, so
 * during a spoofed SYN flood (or while cookies cope) every proven source is a real client, and the limit would only
 * slow it: in the lab, nginx's `Connection: close` client at ~13,000 SYN/s lost 12–17 % of its requests to it.
 */
export function capsProven(attackKind: string | null): boolean {
  return attackKind === 'syn-flood' || attackKind === 'connection-flood';
}

export function meterFindings(prev: MeterSample | null, cur: MeterSample, limits: { perSource: number; perPrefix: number; proven?: number }): MeterFindings {
  const seconds = prev ? (cur.takenAt - prev.takenAt) / 1000 : 0;
  const index = (xs: readonly MeterElement[] | undefined) => new Map((xs ?? []).map((e) => [e.value, e]));
  const before = { hosts: index(prev?.hosts), prefixes: index(prev?.prefixes), busy: index(prev?.busy) };
  const senders: SynSender[] = [];
  const offenders: Offender[] = [];
  const dropped = (list: readonly MeterElement[], was: Map<string, MeterElement>, prefix: boolean) => {
    for (const e of list) {
      const old = was.get(e.value);
      const r = rate(e, old, seconds);
      senders.push({ address: prefix ? e.value : hostText(e.value), synPerSecond: Math.round(r), proven: false, dropped: true });
      if (old && e.packets <= old.packets) continue; // quiet since the last reading: it stopped
      const limit = prefix ? `${limits.perPrefix}/s from one prefix` : `${limits.perSource}/s`;
      offenders.push({
        value: e.value,
        reason: prefix ? 'SYN flood from one prefix (kernel meter)' : 'SYN flood (kernel meter)',
        evidence: [`${prefix ? e.value : hostText(e.value)}: ${Math.round(r)} SYN/s without completing handshakes (kernel meter, over ${limit}); dropped by the kernel`],
        origin: 'kernel',
      });
    }
  };
  dropped(cur.hosts, before.hosts, false);
  dropped(cur.prefixes, before.prefixes, true);
  for (const e of cur.busy) {
    const r = Math.round(rate(e, before.busy.get(e.value), seconds));
    senders.push({ address: hostText(e.value), synPerSecond: r, proven: true, dropped: false, ...(r > (limits.proven ?? Infinity) ? { capped: true as const } : {}) });
  }
  senders.sort((a, b) => b.synPerSecond - a.synPerSecond || a.address.localeCompare(b.address));
  return { senders, offenders };
}
