// Writes a /proc/net/tcp-format table of N rows that looks like a spoofed flood: SYN_RECV from a /15, some ESTABLISHED.
import { closeSync, openSync, writeSync } from 'node:fs';

const hex8 = (n: number): string => (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
/** /proc prints an IPv4 address as its in-memory u32: byte-reversed on little-endian machines. */
const procAddr = (netOrder: number): string =>
  hex8((((netOrder & 0xff) << 24) | ((netOrder & 0xff00) << 8) | ((netOrder >>> 8) & 0xff00) | (netOrder >>> 24)) >>> 0);

export function writeSyntheticTable(path: string, rows: number, seed = 1): void {
  let x = seed >>> 0 || 1;
  const rand = (): number => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
  const victim = procAddr(0xc6120001); // 198.18.0.1
  const fd = openSync(path, 'w');
  const lines: string[] = ['  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode'];
  for (let i = 0; i < rows; i++) {
    const established = i % 50 === 0;
    const src = established ? 0xc6120200 + (rand() % 16) : 0xc6120000 + (rand() % 131072); // 198.18.0.0/15
    const state = established ? '01' : '03';
    lines.push(`${String(i).padStart(6)}: ${victim}:0050 ${procAddr(src)}:${hex4(1024 + (rand() % 60000))} ${state} 00000000:00000000 02:000001F4 00000000     0        0 ${established ? 4242 + i : 0} ${established ? 1 : 0} 0000000000000000 20 4 30 10 -1`);
    if (lines.length >= 10_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
}
