// The socket table from the kernel's inet_diag, in its binary records: `ss -tan -D -` writes the netlink dump it
// receives (one sock_diag message per socket) to stdout and formats nothing. /proc/net/tcp{,6} has the kernel print
// every socket as a line of hex, one 4 KiB page per read: in a 150k-entry SYN flood `cat` of both files took
// 200–330 ms, where `ss -tan -D` took 70–110 ms and a text `ss -tan` 240–290 ms (docs/benchmarks.md, issue 11).
// Rows go to the same sinks as the /proc parser's, with the same keys.
import { endianness } from 'node:os';
import { execStream, type ExecStream } from '../core/exec.js';
import type { TableReadResult } from './read-socket-table.js';
import { STATE, type AddrKey, type RowSink } from './tcp-table.js';

const NLMSG_HDR = 16; // struct nlmsghdr: len u32, type u16, flags u16, seq u32, pid u32 (host order)
const DIAG_MSG = 72; // struct inet_diag_msg, before its attributes
const NLMSG_ERROR = 2, NLMSG_DONE = 3, SOCK_DIAG_BY_FAMILY = 20;
const AF_INET = 2, AF_INET6 = 10;
/** A sock_diag message with every extension is well under this: a longer header means the bytes are no dump. */
const MAX_MSG = 1 << 16;

/** An IPv6 address at p (16 bytes, network order) as an AddrKey; IPv4-mapped (::ffff:a.b.c.d) as the IPv4 number. */
function v6Key(buf: Buffer, p: number): AddrKey {
  if (buf.readUInt32BE(p) === 0 && buf.readUInt32BE(p + 4) === 0 && buf.readUInt32BE(p + 8) === 0xffff) return buf.readInt32BE(p + 12);
  return buf.toString('hex', p, p + 16);
}

/** Parses a sock_diag dump incrementally: feed it what has come, keep what it leaves for the next feed. Pure. */
export class DiagTableParser {
  rows = 0;
  badLines = 0;
  /** NLMSG_DONE messages seen: one per address family's dump. */
  dumps = 0;
  /** Why the bytes are not a dump (ss printed text, or the kernel answered with an error); null while they are. */
  broken: string | null = null;
  /** An incomplete message at the end of what push() was given, kept for the next chunk. */
  private carry: Buffer | null = null;

  constructor(
    private readonly sink: RowSink,
    private readonly littleEndian = endianness() === 'LE',
  ) {}

  /** Parses a chunk of a stream: the messages it completes, keeping an incomplete last one for the next chunk. */
  push(chunk: Buffer): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const used = this.feed(buf);
    this.carry = used < buf.length ? buf.subarray(used) : null;
  }

  /** Bytes push() still holds: at the end of the stream, a message cut off. */
  get pending(): number {
    return this.carry?.length ?? 0;
  }

  /** Parses the whole messages in buf; returns the offset just past the last one (the caller keeps the rest). */
  feed(buf: Buffer): number {
    let o = 0;
    while (this.broken === null && o + NLMSG_HDR <= buf.length) {
      const len = this.u32(buf, o);
      if (len < NLMSG_HDR || len > MAX_MSG) {
        this.broken = `a netlink message of ${len} bytes`;
        break;
      }
      const next = o + ((len + 3) & ~3);
      if (next > buf.length) return o;
      const type = this.littleEndian ? buf.readUInt16LE(o + 4) : buf.readUInt16BE(o + 4);
      if (type === SOCK_DIAG_BY_FAMILY) {
        if (!this.socket(buf, o + NLMSG_HDR, len - NLMSG_HDR)) this.badLines++;
      } else if (type === NLMSG_DONE) {
        this.dumps++;
      } else if (type === NLMSG_ERROR) {
        this.broken = 'the kernel answered the dump with an error';
      } else {
        this.badLines++;
      }
      o = next;
    }
    return this.broken === null ? o : buf.length;
  }

  private u32(buf: Buffer, p: number): number {
    return this.littleEndian ? buf.readUInt32LE(p) : buf.readUInt32BE(p);
  }

  /** One struct inet_diag_msg at m: family, state, ports and addresses in network order, queues in host order. */
  private socket(buf: Buffer, m: number, size: number): boolean {
    if (size < DIAG_MSG) return false;
    const family = buf[m] ?? 0, state = buf[m + 1] ?? 0;
    if ((family !== AF_INET && family !== AF_INET6) || state < 1 || state > 12) return false;
    const v4 = family === AF_INET;
    const local = v4 ? buf.readInt32BE(m + 8) : v6Key(buf, m + 8);
    const remote = v4 ? buf.readInt32BE(m + 24) : v6Key(buf, m + 24);
    const rqueue = this.u32(buf, m + 56), wqueue = this.u32(buf, m + 60);
    this.rows++;
    // A listener's wqueue is its backlog, where /proc's tx_queue is 0; its rqueue is the accept queue in both.
    this.sink.row(local, buf.readUInt16BE(m + 4), remote, buf.readUInt16BE(m + 6), state, state === STATE.LISTEN ? 0 : wqueue, rqueue);
    return true;
  }
}

export const DIAG_ARGS = ['-tan', '-D', '-'] as const;

/**
 * Reads the table through `ss -tan -D -` into a sink, parsing the dump while ss writes it. `excludeTimeWait`: the
 * kernel skips TIME_WAIT sockets (their number comes from /proc/net/sockstat instead). Null when ss is missing, fails
 * or writes anything but a dump: the sink may hold some rows then, and the caller reads /proc into a fresh one.
 */
export async function readDiagTable(sink: RowSink, opts: { excludeTimeWait?: boolean; exec?: ExecStream; netns?: string } = {}): Promise<TableReadResult | null> {
  const parser = new DiagTableParser(sink);
  const args = opts.excludeTimeWait ? [...DIAG_ARGS, 'exclude', 'time-wait'] : DIAG_ARGS;
  const result = await (opts.exec ?? execStream)('ss', args, (chunk) => parser.push(chunk), { timeoutMs: 10_000, ...(opts.netns === undefined ? {} : { netns: opts.netns }) });
  if (result.failed || parser.broken !== null || parser.dumps === 0) return null;
  return { rows: parser.rows, badLines: parser.badLines + (parser.pending > 0 ? 1 : 0) };
}
