// The sequential sender's packets, checked byte by byte (a dry run sends nothing), and its argument checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from '../core/exec.js';
import { insideLabRanges } from './flood-args.js';
import { seqFloodArgs } from './seq-flood.js';
import { SYN4_SENDER } from './syn4-sender.js';
import { pythonBin } from './tools.js';
import { T0 } from '../testing/clock.js';
import { needs } from '../testing/needs.js';

const base = { target: '198.18.0.1', port: 80, pps: 50_000, maxPackets: 1_200_000, durationS: 30, sources: '198.19.0.0/16' };

/** The one's-complement sum of 16-bit words, folded (0xffff when a checksum field is right). */
const sum16 = (b: Buffer): number => {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += b.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
};

test('seqFloodArgs: a lab /16 and an IPv4 lab target only; the count and time are bounded', () => {
  const args = seqFloodArgs(base, T0);
  assert.deepEqual(args, ['198.18.0.1', '80', '50000', '1200000', ((T0 + 30_000) / 1000).toFixed(3), '198.19']);
  assert.equal(seqFloodArgs({ ...base, durationS: 300, pps: 1e6, maxPackets: 1e9 }, T0)[3], String(30_000_000), 'pps × at most 30 s');
  assert.equal(seqFloodArgs({ ...base, durationS: 300 }, T0)[4], ((T0 + 30_000) / 1000).toFixed(3), 'at most 30 s');
  for (const bad of [{ sources: '10.0.0.0/16' }, { sources: '198.19.0.0/24' }, { sources: '198.18.0.0/15' }, { sources: '2001:db8::/32' }, { target: '10.0.0.1' }, { target: '2001:db8::1' }]) {
    assert.throws(() => seqFloodArgs({ ...base, ...bad }, T0), /lab ranges|IPv4 \/16/, JSON.stringify(bad));
  }
});

test('the sender: valid SYNs, every one from its own source address and port inside the /16', needs(['python3'], async () => {
  const count = 66_000; // past the first wrap of the 65,534 addresses
  const r = await exec(pythonBin(), ['-c', SYN4_SENDER, '198.18.0.1', '80', '1e9', String(count), '9e9', '198.19', 'dry'], { timeoutMs: 60_000 });
  assert.equal(r.failed, false, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.at(-1), `sent ${count}`);
  const seen = new Set<string>();
  for (const hex of lines.slice(0, -1)) {
    const p = Buffer.from(hex, 'hex');
    assert.equal(p.length, 40);
    const src = [...p.subarray(12, 16)].join('.');
    assert.ok(src.startsWith('198.19.') && insideLabRanges(src) && !src.endsWith('.0.0') && !src.endsWith('.255.255'), src);
    assert.equal([...p.subarray(16, 20)].join('.'), '198.18.0.1');
    assert.equal(p[9], 6, 'TCP');
    assert.equal(p[33], 0x02, 'SYN only');
    assert.equal(p.readUInt16BE(22), 80);
    const pseudo = Buffer.concat([p.subarray(12, 20), Buffer.from([0, 6, 0, 20])]);
    assert.equal(sum16(Buffer.concat([pseudo, p.subarray(20)])), 0xffff, `TCP checksum of ${src}`);
    seen.add(`${src}:${p.readUInt16BE(20)}`);
  }
  assert.equal(seen.size, count, 'no source address and port twice');
}));
