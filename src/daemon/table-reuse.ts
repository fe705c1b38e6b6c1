// A quiet tick need not walk the socket table: the kernel's walk of /proc/net/tcp{,6} visits every bucket of the
// established hash (262,144 here) however few sockets there are, ~4 ms a file, most of an idle daemon's CPU. No TCP
// segment in or out of this namespace since the last walk (Tcp InSegs and OutSegs unchanged) means no socket moved
// to or from SYN_RECV or ESTABLISHED: a SYN, a handshake, a close and a SYN-ACK retransmit are all segments. Only
// timer-driven removals (TIME_WAIT ending) go unseen, for at most `maxAgeMs`. Pure; time passed in.
import type { SocketTally } from '../observe/socket-tally.js';

interface Walk {
  readonly tally: SocketTally;
  readonly inSegs: number;
  readonly outSegs: number;
  readonly at: number;
}

export class TableReuse {
  private last: Walk | null = null;

  constructor(private readonly maxAgeMs: number) {}

  /** The last walk's tally when nothing moved since and it is younger than maxAgeMs; null means walk the table. */
  reusable(counters: Readonly<Record<string, number>>, now: number): SocketTally | null {
    const w = this.last;
    const inSegs = counters['InSegs'], outSegs = counters['OutSegs'];
    if (w === null || inSegs === undefined || outSegs === undefined) return null;
    return inSegs === w.inSegs && outSegs === w.outSegs && now - w.at < this.maxAgeMs && now >= w.at ? w.tally : null;
  }

  /** Records a fresh walk, with the counters read just before it (a segment during the walk makes the next tick walk). */
  walked(tally: SocketTally, counters: Readonly<Record<string, number>>, now: number): void {
    const inSegs = counters['InSegs'], outSegs = counters['OutSegs'];
    this.last = inSegs === undefined || outSegs === undefined ? null : { tally, inSegs, outSegs, at: now };
  }
}
