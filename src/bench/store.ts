// Measures the store at scale: 100k decisions inserted in one transaction, the 100k active ones read back (also
// after a reopen, as at start-up), and one policy pass over them. Each round uses a fresh temporary state directory.
// Run with `node dist/bench/store.js [count] [rounds]`; it prints every round and the medians as JSON.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Decision } from '../core/decision.js';
import { configFrom } from '../config/load.js';
import { buildAllowList } from '../decide/allow-list.js';
import { decide } from '../decide/policy.js';
import { openStore } from '../store/open.js';
import { median } from './measure.js';

const count = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 3);
const now = Date.UTC(2026, 0, 1);

function decision(i: number): Decision {
  const value = `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;
  return {
    scope: 'ip', value, action: 'ban', reason: 'half-open 812 ≥ 32', evidence: ['synRecv=812', 'synPerSecond=2100'],
    origin: 'manual', createdAt: now, until: now + 600_000, offence: 1,
  };
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

function round(): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-bench-store-'));
  try {
    const batch = Array.from({ length: count }, (_, i) => decision(i));
    const store = openStore(dir);
    const [, insertMs] = timed(() => store.decisions.insertMany(batch));
    const [active, readMs] = timed(() => store.decisions.active(now + 1000));
    const [, countMs] = timed(() => store.decisions.activeAutoCount(now + 1000));
    const [, offencesMs] = timed(() => store.decisions.offences(batch.slice(0, 1000).map((d) => d.value), now + 1000, 30 * 86_400_000));
    store.close();
    const [reopened, reopenMs] = timed(() => openStore(dir));
    const [again, reopenReadMs] = timed(() => reopened.decisions.active(now + 1000));
    reopened.close();
    if (active.length !== count || again.length !== count) throw new Error(`expected ${count} active, got ${active.length}/${again.length}`);
    const offenders = Array.from({ length: 200 }, (_, i) => ({ value: `203.0.${i >> 4}.${i & 15}`, reason: 'bench', evidence: [] }));
    const input = { offenders, spoofed: false, active, offenceCounts: new Map<string, number>(), allow: buildAllowList({}), config: configFrom({}), now: now + 1000 };
    const [, decideMs] = timed(() => decide(input));
    const dbBytes = statSync(join(dir, 'synguard.db')).size + (statSync(join(dir, 'synguard.db-wal'), { throwIfNoEntry: false })?.size ?? 0);
    return { insertOneTransactionMs: insertMs, readActiveMs: readMs, activeAutoCountMs: countMs, offences1000ValuesMs: offencesMs,
      reopenMs, readActiveAfterReopenMs: reopenReadMs, decide200OffendersMs: decideMs, dbBytes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = Array.from({ length: rounds }, round);
const medians: Record<string, number> = {};
for (const key of Object.keys(results[0] ?? {})) medians[key] = Math.round(median(results.map((r) => r[key] ?? NaN)) * 10) / 10;
console.log(JSON.stringify({ decisions: count, rounds, medians, all: results.map((r) => Object.values(r).map((v) => Math.round(v))) }, null, 1));
