// Pure, streaming parser for /proc/net/tcp and /proc/net/tcp6: bytes in, one callback per socket row.
// It works on raw bytes and keeps no row objects, so a million-row table parses in constant memory.

/** Kernel TCP state names, indexed by the state code printed in /proc/net/tcp (request sockets print as 03). */
export const TCP_STATES = [
  'UNKNOWN', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT',
  'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING', 'NEW_SYN_RECV',
] as const;
export type TcpStateName = (typeof TCP_STATES)[number];
export const STATE = { ESTABLISHED: 1, SYN_RECV: 3, LISTEN: 10 } as const;

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
const FIELD_END = -1; // the field ends at a space or at the end of the line
const CONTIGUOUS = -2; // the next field follows with no separator

/** Byte-swaps to network order, as a signed 32-bit integer: small-integer Map keys are much faster than doubles. */
function swap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

function hex8(word: number): string {
  return word.toString(16).padStart(8, '0');
}

/** Parses one table's bytes incrementally; feed it chunks, then call end(). */
export class TcpTableParser {
  rows = 0;
  badLines = 0;
  private pos = 0;
  private value = 0;

  constructor(
    private readonly sink: RowSink,
    private readonly littleEndian = true,
  ) {}

  /**
   * Parses the complete lines in buf[start, length). Returns the offset just past the last line parsed; the
   * caller keeps the rest (an incomplete last line) for the next call. With `final`, the last line is parsed too.
   */
  feed(buf: Uint8Array, length: number, final = false, start = 0): number {
    for (;;) {
      let end = buf.indexOf(NL, start);
      if (end < 0 || end >= length) {
        if (!final || start >= length) return start;
        end = length;
      }
      this.line(buf, start, end);
      start = end + 1;
    }
  }

  private line(buf: Uint8Array, start: number, end: number): void {
    let p = start;
    while (p < end && buf[p] === SPACE) p++;
    if (p >= end) return; // blank line
    const first = buf[p] ?? 0;
    if (first < 48 || first > 57) {
      if (first !== 115 /* s: the "sl" header */) this.badLines++;
      return;
    }
    this.pos = p;
    if (!this.skipSlot(buf, end)) return void this.badLines++;
    const local = this.addr(buf, end);
    if (local === null || !this.hexField(buf, end, 4, SPACE)) return void this.badLines++;
    const localPort = this.value;
    const remote = this.addr(buf, end);
    if (remote === null || !this.hexField(buf, end, 4, SPACE)) return void this.badLines++;
    const remotePort = this.value;
    if (!this.hexField(buf, end, 2, SPACE)) return void this.badLines++;
    const state = this.value;
    if (!this.hexField(buf, end, 8, COLON)) return void this.badLines++;
    const tx = this.value;
    if (!this.hexField(buf, end, 8, FIELD_END)) return void this.badLines++;
    this.rows++;
    this.sink.row(local, localPort, remote, remotePort, state, tx, this.value);
  }

  /** Skips "  123: ". */
  private skipSlot(buf: Uint8Array, end: number): boolean {
    let p = this.pos;
    while (p < end && (buf[p] ?? 0) >= 48 && (buf[p] ?? 0) <= 57) p++;
    if (buf[p] !== COLON || buf[p + 1] !== SPACE) return false;
    this.pos = p + 2;
    return true;
  }

  /** Reads exactly `digits` hex digits followed by `sep` (a byte, FIELD_END or CONTIGUOUS) into this.value. */
  private hexField(buf: Uint8Array, end: number, digits: number, sep: number): boolean {
    let p = this.pos;
    if (p + digits > end) return false;
    let v = 0;
    for (let i = 0; i < digits; i++) {
      const d = HEX[buf[p++] ?? 0] ?? -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    if (sep >= 0) {
      if (buf[p] !== sep) return false;
      p++;
    } else if (sep === FIELD_END && p < end && buf[p] !== SPACE) return false;
    this.value = v;
    this.pos = p;
    return true;
  }

  /** Reads an 8- or 32-digit address and its ':' into an AddrKey. */
  private addr(buf: Uint8Array, end: number): AddrKey | null {
    const p = this.pos;
    if (buf[p + 8] === COLON) {
      if (!this.hexField(buf, end, 8, COLON)) return null;
      return this.littleEndian ? swap32(this.value) : this.value | 0;
    }
    const words: number[] = [0, 0, 0, 0];
    for (let w = 0; w < 4; w++) {
      if (!this.hexField(buf, end, 8, w === 3 ? COLON : CONTIGUOUS)) return null;
      words[w] = this.littleEndian ? swap32(this.value) : this.value | 0;
    }
    const [a = 0, b = 0, c = 0, d = 0] = words;
    if (a === 0 && b === 0 && c === 0xffff) return d; // IPv4-mapped: the peer is IPv4
    return hex8(a >>> 0) + hex8(b >>> 0) + hex8(c >>> 0) + hex8(d >>> 0);
  }
}
