// The verdict: a pure function of the last two snapshots that names the situation and gives its evidence.
import { thousands as n } from '../core/format.js';
import type { DetectionConfig } from '../config/schema.js';
import { configNotes } from './notes.js';
import { counterRates, rateOf } from './rates.js';
import type { Snapshot } from './snapshot.js';
import { summarizeSources, type SourceOptions, type SourceSummary } from './sources.js';
import type { SynSender } from './syn-senders.js';

export type AssessmentKind = 'none' | 'syn-flood' | 'spoofed-syn-flood' | 'cookies-coping' | 'connection-flood' | 'weak-config';

export interface Assessment {
  readonly kind: AssessmentKind;
  readonly summary: string;
  readonly evidence: string[];
  /** Addresses or prefixes the verdict names as responsible (empty for spoofed floods). */
  readonly offenders: string[];
}

const plural = (count: number, word: string, many = `${word}s`): string => `${n(count)} ${count === 1 ? word : many}`;

function list(items: string[], max = 5): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ');
}

interface Signals {
  readonly cookiesSent: number | null;
  readonly cookiesRecv: number | null;
  readonly reqQFullDrop: number | null;
  readonly listenDrops: number | null;
  readonly cookiesOn: boolean;
  readonly fullListeners: string[];
}

function signals(prev: Snapshot | undefined, cur: Snapshot): Signals {
  const rates = counterRates(prev, cur);
  return {
    cookiesSent: rateOf(rates, 'SyncookiesSent'),
    cookiesRecv: rateOf(rates, 'SyncookiesRecv'),
    reqQFullDrop: rateOf(rates, 'TCPReqQFullDrop'),
    listenDrops: rateOf(rates, 'ListenDrops'),
    cookiesOn: (cur.raw.sysctls['net.ipv4.tcp_syncookies'] ?? 1) !== 0,
    fullListeners: cur.listeners
      .filter((l) => l.backlog !== null && l.backlog > 0 && l.synRecv >= l.backlog)
      .map((l) => `${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port} (${n(l.synRecv)}/${n(l.backlog ?? 0)})`),
  };
}

function cookieLine(s: Signals): string | null {
  if (s.cookiesSent === null || s.cookiesSent < 1) return null;
  const back = s.cookiesRecv ?? 0;
  return `${n(s.cookiesSent)} cookies/s sent, ${n(back)}/s returned`;
}

function pressureEvidence(cur: Snapshot, src: SourceSummary, s: Signals): string[] {
  const ev = [`${plural(cur.halfOpen, 'half-open connection')} from ${plural(src.halfOpenSources, 'source')}`];
  if (s.fullListeners.length) ev.push(`SYN queue full on ${list(s.fullListeners)}`);
  const cookies = cookieLine(s);
  if (cookies) ev.push(cookies);
  if (s.reqQFullDrop !== null && s.reqQFullDrop >= 1) ev.push(`${n(s.reqQFullDrop)} SYN/s dropped with the queue full (TCPReqQFullDrop)${s.cookiesOn ? '' : ': cookies are off'}`);
  if (s.listenDrops !== null && s.listenDrops >= 1) ev.push(`${n(s.listenDrops)} ListenDrops/s`);
  return ev;
}

/** The source-summary options the assessment needs: offenders by the configured thresholds. */
export function offenderOptions(cfg: DetectionConfig, top = 0): SourceOptions {
  return {
    top,
    halfOpenAtLeast: cfg.halfOpen.ban,
    establishedAtLeast: cfg.established.ban,
    halfOpenLimit: cfg.synFlood.maxOffenders,
    establishedLimit: cfg.established.maxOffenders,
  };
}

/**
 * Names the situation from the current snapshot and the one before it (absent: rates are unknown).
 * `src` may be passed when the caller already summarised the sources with offenderOptions(cfg).
 */
export function assess(
  prev: Snapshot | undefined, cur: Snapshot, cfg: DetectionConfig, src: SourceSummary = summarizeSources(cur, offenderOptions(cfg)),
  senders: readonly SynSender[] = [],
): Assessment {
  const s = signals(prev, cur);
  // Real sources the kernel's meter is dropping and that still send: over their SYN rate alone, whatever the socket
  // table shows. (A drop stays listed for its hold after the source stopped, at 0 SYN/s.)
  const kernel = senders.filter((x) => x.dropped && x.synPerSecond > 0);
  const kernelNames = kernel.map((x) => x.address);
  const kernelEvidence = kernel.slice(0, 10).map((x) => `${x.address}: ${n(x.synPerSecond)} SYN/s, dropped by the kernel meter`);
  const inside = kernel.length === 0 ? '' : `; ${kernel.length === 1 ? 'one real source floods' : `${kernel.length} real sources flood`} inside it: ${list(kernelNames)} (dropped in the kernel)`;
  const weak = configNotes(cur, cfg).filter((note) => note.weak);
  const weakLines = weak.map((note) => `${note.subject}: ${note.message}`);

  const synPressure =
    cur.halfOpen >= cfg.synFlood.minHalfOpen ||
    (s.cookiesSent ?? 0) >= cfg.synFlood.minCookieRate ||
    (s.reqQFullDrop ?? 0) >= cfg.synFlood.minDropRate ||
    s.fullListeners.length > 0;

  // 1. A SYN flood from few sources: a handful of addresses (or prefixes) hold most half-open entries.
  if (synPressure) {
    const min = cfg.halfOpen.ban; // src may have been summarised with lower thresholds (the defender's `clear`)
    for (const offenders of [src.halfOpenOffenders.filter((o) => o.synRecv >= min), src.halfOpenPrefixOffenders.filter((o) => o.synRecv >= min)]) {
      const held = offenders.reduce((sum, o) => sum + o.synRecv, 0);
      const few = offenders.length > 0 && offenders.length <= cfg.synFlood.maxOffenders;
      if (few && held >= cfg.synFlood.concentratedShare * cur.halfOpen) {
        const names = offenders.map((o) => ('address' in o ? o.address : o.prefix));
        const detail = offenders.map((o) => `${'address' in o ? o.address : `${o.prefix} (${plural(o.addresses, 'address', 'addresses')})`}: ${n(o.synRecv)} half-open`);
        return {
          kind: 'syn-flood',
          summary: `SYN flood from ${offenders.length === 1 ? names[0] : `${offenders.length} ${'address' in offenders[0]! ? 'sources' : 'prefixes'}: ${list(names)}`}`,
          evidence: [...detail.slice(0, 10), `${offenders.length === 1 ? 'it holds' : 'they hold'} ${Math.round((100 * held) / Math.max(1, cur.halfOpen))}% of ${plural(cur.halfOpen, 'half-open connection')}`, ...pressureEvidence(cur, src, s).slice(1), ...weakLines],
          offenders: names,
        };
      }
    }
  }

  // 2. A connection flood: completed handshakes held open by a few sources. Cookies do not help here.
  const conn = src.establishedOffenders.filter((o) => o.established >= cfg.established.ban);
  if (conn.length > 0 && conn.length <= cfg.established.maxOffenders) {
    const names = conn.map((o) => o.address);
    return {
      kind: 'connection-flood',
      summary: `connection flood from ${conn.length === 1 ? names[0] : `${conn.length} sources: ${list(names)}`}`,
      evidence: [
        ...conn.slice(0, 10).map((o) => `${o.address}: ${n(o.established)} established`),
        `${plural(cur.established, 'established connection')} in all; threshold ${n(cfg.established.ban)} per source`,
        ...(synPressure ? pressureEvidence(cur, src, s) : []),
      ],
      offenders: names,
    };
  }

  if (synPressure) {
    const returnRatio = s.cookiesSent && s.cookiesSent > 0 ? (s.cookiesRecv ?? 0) / s.cookiesSent : null;
    const unreturned = returnRatio !== null && (s.cookiesSent ?? 0) >= cfg.synFlood.minCookieRate && returnRatio < cfg.spoofed.maxCookieReturn;
    const manySources = src.halfOpenSources >= cfg.spoofed.minSources;
    const heavy = src.halfOpenOffenders.filter((o) => o.synRecv >= cfg.halfOpen.ban).length;
    // 3. Many sources, none standing out: forged addresses. Banning them would be useless.
    if (manySources) {
      const why = [
        `${plural(src.halfOpenSources, 'distinct source')}, ${heavy === 0 ? 'none' : n(heavy)} above ${n(cfg.halfOpen.ban - 1)} half-open (the most from one is ${n(src.maxHalfOpen)})`,
        `${plural(cur.halfOpen, 'half-open connection')} in all`,
        ...pressureEvidence(cur, src, s).filter((_, i) => i > 0),
      ];
      if (unreturned) why.push(`only ${(100 * (returnRatio ?? 0)).toFixed(2)}% of cookies come back: the handshakes are never completed`);
      return {
        kind: 'spoofed-syn-flood',
        summary: `SYN flood from many likely-spoofed sources${s.cookiesOn ? ((s.reqQFullDrop ?? 0) < 1 ? '; SYN cookies are carrying it' : '') : '; SYN cookies are OFF'}: do not ban, harden${inside}`,
        evidence: [...kernelEvidence, ...why, ...weakLines],
        offenders: kernelNames,
      };
    }
    // 4. Cookies answer the overflow and nothing is dropped: the kernel is coping.
    if (s.cookiesOn && (s.cookiesSent ?? 0) >= cfg.synFlood.minCookieRate && (s.reqQFullDrop ?? 0) < cfg.synFlood.minDropRate) {
      return {
        kind: 'cookies-coping',
        summary: `SYN cookies are active and coping: ${n(s.cookiesSent ?? 0)} SYN/s answered with cookies, none dropped${inside}`,
        evidence: [...kernelEvidence, ...pressureEvidence(cur, src, s), ...(unreturned ? ['few cookies come back: the excess SYNs never complete a handshake'] : []), ...weakLines],
        offenders: kernelNames,
      };
    }
    // 5. SYN pressure from sources that neither stand out nor are many.
    const names = src.halfOpenOffenders.filter((o) => o.synRecv >= cfg.halfOpen.ban).map((o) => o.address);
    return {
      kind: 'syn-flood',
      summary: `SYN flood from ${plural(src.halfOpenSources, 'source')}, none clearly dominant`,
      evidence: [...pressureEvidence(cur, src, s), ...weakLines],
      offenders: names,
    };
  }

  // 6. The kernel drops the flood before it reaches TCP, so the table looks calm: the meter names it.
  if (kernel.length > 0) {
    return {
      kind: 'syn-flood',
      summary: `SYN flood from ${kernel.length === 1 ? kernelNames[0] : `${kernel.length} sources: ${list(kernelNames)}`}, dropped in the kernel`,
      evidence: [...kernelEvidence, ...weakLines],
      offenders: kernelNames,
    };
  }

  if (weak.length > 0) {
    return { kind: 'weak-config', summary: `no attack seen, but the SYN defences are weak (${plural(weak.length, 'problem')})`, evidence: weakLines, offenders: [] };
  }
  return {
    kind: 'none',
    summary: 'no flood: connections and SYN counters are normal',
    evidence: [`${plural(cur.halfOpen, 'half-open connection')}, ${plural(cur.established, 'established connection')}`, ...(cookieLine(s) ? [cookieLine(s) as string] : [])],
    offenders: [],
  };
}
