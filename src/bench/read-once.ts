// Benchmark child: reads the given socket-table files into a tally `--repeat K` times in one process, either with the
// synchronous reader synguard uses (`--mode sync`) or with the double-buffered asynchronous reader it used before
// (`--mode async`: the next chunk is read on a libuv thread while the parser works on this one). Prints one JSON line
// in measure.ts's shape: the first pass, the median of the later ones, peak RSS.
import { open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { readSocketTables } from '../observe/read-socket-table.js';
import { SocketTally } from '../observe/socket-tally.js';
import { TcpTableParser } from '../observe/tcp-table.js';
import { median } from './measure.js';

const CHUNK = 1 << 20;
const NL = 10;

/** The reader of commit aef6f69 (double-buffered), kept here only to be measured against the synchronous one. */
async function streamTableAsync(path: string, parser: TcpTableParser): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    const read = (i: number) => fh.read(bufs[i]!, 0, CHUNK, null);
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

const args = process.argv.slice(2);
const take = (flag: string, fallback: string): string => {
  const at = args.indexOf(flag);
  return at >= 0 ? (args.splice(at, 2)[1] ?? fallback) : fallback;
};
const repeat = Number(take('--repeat', '1'));
const mode = take('--mode', 'sync');
if (mode !== 'sync' && mode !== 'async') throw new RangeError(`--mode is sync or async, got ${mode}`);
const times: number[] = [];
let rows = 0;
for (let i = 0; i < repeat; i++) {
  const start = performance.now();
  const tally = new SocketTally();
  if (mode === 'sync') {
    rows = readSocketTables(tally, args).rows;
  } else {
    const parser = new TcpTableParser(tally, endianness() === 'LE');
    for (const path of args) await streamTableAsync(path, parser);
    rows = parser.rows;
  }
  times.push(performance.now() - start);
}
const warm = times.slice(1);
process.stdout.write(`${JSON.stringify({ ms: times[0], warmMs: warm.length > 0 ? median(warm) : null, maxRssMB: resourceUsage().maxRSS / 1024, rows })}\n`);
