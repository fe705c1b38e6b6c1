// Thin reader: streams /proc/net/tcp and /proc/net/tcp6 through the parser in 1 MiB chunks.
// Reads are double-buffered: while the parser works on one chunk, the kernel already formats the next one
// on a libuv thread, so a snapshot costs about what the kernel's own formatting costs, not the sum of both.
import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { fromSystemError } from '../core/errors.js';
import { TcpTableParser, type RowSink } from './tcp-table.js';

export const PROC_TCP = ['/proc/net/tcp', '/proc/net/tcp6'] as const;
const CHUNK = 1 << 20;
const NL = 10;

export interface TableReadResult {
  readonly rows: number;
  readonly badLines: number;
}

/** Streams one file through a parser. Memory stays at two chunks however large the table is. */
export async function streamTable(path: string, parser: TcpTableParser, chunk = CHUNK): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const bufs = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
    const read = (i: number): Promise<{ bytesRead: number; buffer: Buffer }> => fh.read(bufs[i] as Buffer, 0, chunk, null);
    let carry = Buffer.alloc(0); // the incomplete line at the end of the previous chunk
    let which = 0;
    let pending = read(0);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) {
        parser.feed(carry, carry.length, true);
        return;
      }
      which ^= 1;
      pending = read(which); // the kernel formats the next chunk meanwhile
      let start = 0;
      if (carry.length > 0) {
        const nl = buffer.indexOf(NL);
        if (nl < 0 || nl >= bytesRead) {
          carry = Buffer.concat([carry, buffer.subarray(0, bytesRead)]);
          continue;
        }
        const joined = Buffer.concat([carry, buffer.subarray(0, nl + 1)]);
        parser.feed(joined, joined.length);
        start = nl + 1;
      }
      const used = parser.feed(buffer, bytesRead, false, start);
      carry = Buffer.from(buffer.subarray(used, bytesRead));
    }
  } finally {
    await fh.close();
  }
}

/**
 * Reads the IPv4 and IPv6 socket tables into a sink. A missing tcp6 (IPv6 disabled) is not an error;
 * a missing or unreadable tcp is.
 */
export async function readSocketTables(sink: RowSink, paths: readonly string[] = PROC_TCP, chunk = CHUNK): Promise<TableReadResult> {
  const parser = new TcpTableParser(sink, endianness() === 'LE');
  for (const [i, path] of paths.entries()) {
    try {
      await streamTable(path, parser, chunk);
    } catch (err) {
      if (i > 0 && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw fromSystemError(err, path);
    }
  }
  return { rows: parser.rows, badLines: parser.badLines };
}
