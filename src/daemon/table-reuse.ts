// A tick need not always walk the socket table. The kernel's walk of /proc/net/tcp{,6} visits every bucket of the
// established hash (262,144 here) however few sockets there are, ~4 ms a file, and formats every socket it finds:
// on a busy web server mostly TIME_WAIT, which no detector reads (12k of them under 8k connections/s cost the daemon
// ~16% of a core). Three ways the last walk stays good enough. Pure; time and cost passed in.
// - Idle: no TCP segment in or out since (Tcp InSegs and OutSegs unchanged) means no socket moved to or from
//   SYN_RECV or ESTABLISHED: a SYN, a handshake, a close and a SYN-ACK retransmit are all segments. Only
//   timer-driven removals (TIME_WAIT ending) go unseen, for at most `maxAgeMs`.
// - Quiet (the defender's word after its tick: calm, no source near a threshold, no kernel drop, no full listener):
//   busy with connections that come and go, but no counter of SYN pressure rose (a listen queue overflowing or
//   dropping, SYN cookies sent or failing) and the established gauge (CurrEstab) grew by less than `estMargin` since
//   the last walk: the table is walked at least every `quietMaxAgeMs` then. A connection flood raises CurrEstab, a SYN
//   flood fills a queue or draws cookies, a source over the kernel meter's rate is a kernel drop: each walks at once.
// - Steady flood (the defender's word: a spoofed SYN flood that cookies carry, nobody named by the assessment or the
//   meter, no source near a threshold, no listener full): the same, except that cookies sent are the flood itself and
//   do not count; a SYN dropped (queue full, cookies off), a cookie failing or an accept queue overflowing still
//   walks at once. Each walk there finds the same thing: one half-open entry per forged source, the listener's queue
//   at its backlog. Under 3,000 spoofed SYN/s beside nginx and a `Connection: close` client, walking every 1 s tick
//   cost 0.9 % of the machine's two CPUs (`ss`, nearly all of it the kernel's tcp_diag_dump visiting the 262,144
//   buckets of the established hash), the daemon's largest part (docs/benchmarks.md, issue 14).
// - Costly (any tick, under attack too): a walk that cost c ms of CPU (the daemon's, and that of the `ss` it ran) is not
//   repeated within c / `costShare` ms, and never waits over `costMaxAgeMs`: the walks take at most `costShare` of a
//   core however large the table. Except when CurrEstab grew by `estMargin` since: a connection flood beginning, the
//   one thing only a walk can name. (Without this exception a slowloris against Apache held 198 connections before a
//   walk saw it, and was banned at 2.3 s by the kernel meter instead of at 0.8 s: issue 14, round 19.)
//   Under a spoofed SYN flood with nginx and a `Connection: close` client, ~27,000 TIME_WAIT rows made each walk cost
//   the daemon tens to hundreds of ms, 10–50 % of a core taken from the server it defends (docs/benchmarks.md, issue
//   14). The kernel meter still drops SYN floods within a packet, and bans from its drops come every tick; only what
//   the table alone shows (a connection flood, SYN_RECV per source) is then up to that long old.
// Which reader a walk uses (plan()), by what the last walk saw. Pure as well.
// - Small (under `dumpMin` rows): /proc/net/tcp{,6}, read in this process: 2.8 ms of CPU for an idle namespace,
//   where spawning `ss` for the kernel's binary dump costs 5.1 ms (200 walks each).
// - Large: the kernel's binary dump through `ss -tan -D -` (observe/diag-table.ts), where the kernel formats no text:
//   on a 150k-entry SYN flood 70–110 ms against 200–330 ms for `cat` of /proc (docs/benchmarks.md, issue 11).
// - TIME_WAIT-heavy: when the kernel's count of TIME_WAIT sockets (/proc/net/sockstat) is over `twMin` and over
//   `twRatio` times the last walk's other rows, the dump leaves them out: inet_diag skips each before building its
//   record. With ~25,000 of them under nginx and a `Connection: close` client, `cat /proc/net/tcp{,6}` took 48–50 ms
//   and `ss -tanH exclude time-wait` 14–22 ms, start-up included, for 85 rows left to parse instead of 25,000
//   (docs/benchmarks.md, issue 14).
// The first walk reads /proc; if it finds a large table, the next one takes the dump.
import type { TablePlan, TableWord } from '../observe/sample.js';
import type { SocketTally } from '../observe/socket-tally.js';
import { STATE } from '../observe/tcp-table.js';

/** Counters whose rise means SYN pressure on some listener: the table is read at once. */
export const PRESSURE_COUNTERS = ['ListenOverflows', 'ListenDrops', 'TCPReqQFullDrop', 'TCPReqQFullDoCookies', 'SyncookiesSent', 'SyncookiesFailed'] as const;
/** The same, less the cookies a flood that cookies carry draws: what changes a steady flood's picture. */
const STEADY_ALARMS = PRESSURE_COUNTERS.filter((name) => name !== 'SyncookiesSent' && name !== 'TCPReqQFullDoCookies');

interface Walk {
  readonly tally: SocketTally;
  readonly counters: Readonly<Record<string, number>>;
  readonly at: number;
  /** CPU the walk cost this process, ms. */
  readonly costMs: number;
}

export class TableReuse {
  private last: Walk | null = null;

  constructor(
    private readonly maxAgeMs: number,
    private readonly quietMaxAgeMs = 0,
    private readonly estMargin = 25,
    private readonly costShare = 0.1,
    private readonly costMaxAgeMs = 5_000,
    private readonly twMin = 2_000,
    private readonly twRatio = 3,
    private readonly dumpMin = 2_000,
  ) {}

  /** How the next walk reads the table, given the kernel's TIME_WAIT count now (null: unknown). */
  plan(timeWait: number | null): TablePlan {
    const w = this.last;
    if (w === null) return 'proc';
    let all = 0, others = 0;
    for (const [state, n] of w.tally.states.entries()) {
      all += n;
      if (state !== STATE.TIME_WAIT) others += n;
    }
    if (timeWait !== null && timeWait >= this.twMin && timeWait >= this.twRatio * others) return 'dump-without-time-wait';
    return all >= this.dumpMin ? 'dump' : 'proc';
  }

  /**
   * The last walk's tally when nothing moved (idle) or, by the defender's word (Defender.tableWord), nothing pressed
   * (quiet) or changed the flood's picture (steady) since; null means walk the table.
   */
  reusable(counters: Readonly<Record<string, number>>, now: number, word: TableWord = null): SocketTally | null {
    const w = this.last;
    if (w === null || now < w.at) return null;
    const same = (name: string): boolean => counters[name] !== undefined && counters[name] === w.counters[name];
    if (same('InSegs') && same('OutSegs') && now - w.at < this.maxAgeMs) return w.tally;
    const est = counters['CurrEstab'], before = w.counters['CurrEstab'];
    const estRose = est !== undefined && before !== undefined && est >= before + this.estMargin;
    if (!estRose && now - w.at < Math.min(w.costMs / this.costShare, this.costMaxAgeMs)) return w.tally;
    if (word === null || now - w.at >= this.quietMaxAgeMs || est === undefined || before === undefined || estRose) return null;
    const alarms = word === 'quiet' ? PRESSURE_COUNTERS : STEADY_ALARMS;
    return alarms.every((name) => (counters[name] ?? 0) <= (w.counters[name] ?? 0)) ? w.tally : null;
  }

  /**
   * Records a fresh walk, with the counters read just before it (a segment during the walk makes the next tick walk)
   * and the CPU it cost this process and its children (ms).
   */
  walked(tally: SocketTally, counters: Readonly<Record<string, number>>, now: number, costMs = 0): void {
    this.last = { tally, counters: { ...counters }, at: now, costMs };
  }
}
