// Pure, streaming parser for /proc/net/tcp and /proc/net/tcp6: bytes in, one callback per socket row.
// It works on raw bytes and keeps no row objects, so a million-row table parses in constant memory.

/** Kernel TCP state names, indexed by the state code printed in /proc/net/tcp (request sockets print as 03). */
export const TCP_STATES = [
  'UNKNOWN', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT',
  'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV',
] as const;
export type TcpStateName = (typeof TCP_STATES)[number];
export const STATE = { ESTABLISHED: 1, SYN_RECV: 3, TIME_WAIT: 6, LISTEN: 10 } as const;

/**
 * A compact address: an IPv4 address is its 32-bit value in network order, held as a signed int32; an IPv6 address is
 * its 32 lowercase hex digits in network order. IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes the IPv4 number.
 */
export type AddrKey = number | string;

export interface RowSink {
  row(local: AddrKey, localPort: number, remote: AddrKey, remotePort: number, state: number, txQueue: number, rxQueue: number): void;
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) { HEX[65 + i] = 10 + i; HEX[97 + i] = 10 + i; }
const SPACE = 32, COLON = 58, NL = 10;

/** Byte-swaps to network order, as a signed 32-bit integer: small-integer Map keys are much faster than doubles. */
function swap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

function wordHex(word: number): string {
  return (word >>> 0).toString(16).padStart(8, '0');
}

/** Four hex digits at p as a number, or -1. Values stay small integers: no heap numbers, even before the JIT warms up. */
function hex4(buf: Uint8Array, p: number): number {
  const a = HEX[buf[p] ?? 0] ?? -1, b = HEX[buf[p + 1] ?? 0] ?? -1, c = HEX[buf[p + 2] ?? 0] ?? -1, d = HEX[buf[p + 3] ?? 0] ?? -1;
  return (a | b | c | d) < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

/** Parses one table's bytes incrementally: feed it chunks, the last one with `final`. */
export class TcpTableParser {
  rows = 0;
  badLines = 0;
  /** Set by word() when a digit was not hex. */
  private bad = false;

  constructor(
    private readonly sink: RowSink,
    private readonly littleEndian = true,
  ) {}

  /**
   * Parses the complete lines in buf[start, length). Returns the offset just past the last line parsed; the
   * caller keeps the rest (an incomplete last line) for the next call. With `final`, the last line is parsed too.
   */
  feed(buf: Uint8Array, length: number, final = false, start = 0): number {
    // The search for a newline must stop at `length`: past it lies whatever the buffer held before, and a read of
    // /proc/net/tcp returns one page (~27 rows) at a time, so an unbounded search for the last, incomplete line ran
    // through most of a 1 MiB buffer on each of ~5,600 reads of a 150k-row table (77 ms of a flooded `status`).
    const bytes = length < buf.length ? buf.subarray(0, length) : buf;
    for (;;) {
      let end = bytes.indexOf(NL, start);
      if (end < 0 || end >= length) {
        if (!final || start >= length) return start;
        end = length;
      }
      if (!this.line(buf, start, end)) this.badLines++;
      start = end + 1;
    }
  }

  /** Eight hex digits at p as an int32 (the kernel's %08X of a 32-bit word); sets `bad` on a non-hex digit. */
  private word(buf: Uint8Array, p: number): number {
    const hi = hex4(buf, p), lo = hex4(buf, p + 4);
    if ((hi | lo) < 0) this.bad = true;
    return (hi << 16) | lo;
  }

  /** An address at p (8 or 32 hex digits, followed by ':'), in network order, IPv4-mapped IPv6 as IPv4. */
  private addr(buf: Uint8Array, p: number, v6: boolean): AddrKey {
    const le = this.littleEndian;
    if (!v6) {
      const v = this.word(buf, p);
      return le ? swap32(v) : v;
    }
    let a = this.word(buf, p), b = this.word(buf, p + 8), c = this.word(buf, p + 16), d = this.word(buf, p + 24);
    if (le) { a = swap32(a); b = swap32(b); c = swap32(c); d = swap32(d); }
    if (a === 0 && b === 0 && c === 0xffff) return d; // IPv4-mapped: the peer is IPv4
    return wordHex(a) + wordHex(b) + wordHex(c) + wordHex(d);
  }

  /** Parses one line; false when it is malformed (the "sl" header and blank lines are fine). */
  private line(buf: Uint8Array, start: number, end: number): boolean {
    let p = start;
    while (p < end && buf[p] === SPACE) p++;
    if (p >= end) return true; // blank line
    const first = buf[p] ?? 0;
    if (first < 48 || first > 57) return first === 115; // s: the "sl" header
    while (p < end && (buf[p] ?? 0) >= 48 && (buf[p] ?? 0) <= 57) p++; // the slot number
    if (buf[p] !== COLON || buf[p + 1] !== SPACE) return false;
    p += 2;
    // "LLLLLLLL:PPPP RRRRRRRR:PPPP SS TTTTTTTT:QQQQQQQQ" (addresses are 32 digits in tcp6)
    const v6 = buf[p + 8] !== COLON;
    const w = v6 ? 32 : 8;
    if (p + 2 * w + 31 > end || buf[p + w] !== COLON || buf[p + w + 5] !== SPACE || buf[p + 2 * w + 6] !== COLON ||
        buf[p + 2 * w + 11] !== SPACE || buf[p + 2 * w + 14] !== SPACE || buf[p + 2 * w + 23] !== COLON) return false;
    this.bad = false;
    const local = this.addr(buf, p, v6);
    const localPort = hex4(buf, p + w + 1);
    p += w + 6;
    const remote = this.addr(buf, p, v6);
    const remotePort = hex4(buf, p + w + 1);
    p += w + 6;
    const s1 = HEX[buf[p] ?? 0] ?? -1, s2 = HEX[buf[p + 1] ?? 0] ?? -1;
    const state = (s1 | s2) < 0 ? -1 : s1 * 16 + s2;
    const tx = this.word(buf, p + 3);
    const rx = this.word(buf, p + 12);
    const after = buf[p + 20];
    if (this.bad || localPort < 0 || remotePort < 0 || state < 0 || (p + 20 < end && after !== SPACE)) return false;
    this.rows++;
    this.sink.row(local, localPort, remote, remotePort, state, tx >>> 0, rx >>> 0);
    return true;
  }
}
