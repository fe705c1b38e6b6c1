// Measures the store at scale: 100k decisions inserted in one transaction, then the 100k active ones read back.
// Run with `node dist/bench/store.js [count]`; it uses a temporary state directory and removes it.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Decision } from '../core/decision.js';
import { openStore } from '../store/open.js';

const count = Number(process.argv[2] ?? 100_000);
const now = Date.UTC(2026, 0, 1);

function decision(i: number): Decision {
  const value = `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;
  return {
    scope: 'ip', value, action: 'ban', reason: 'half-open 812 ≥ 32', evidence: ['synRecv=812', 'newPerSecond=2100'],
    origin: 'auto', createdAt: now, until: now + 600_000, offence: 1,
  };
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

const dir = mkdtempSync(join(tmpdir(), 'synguard-bench-store-'));
try {
  const batch = Array.from({ length: count }, (_, i) => decision(i));
  const store = openStore(dir);
  const [, insertMs] = timed(() => store.decisions.insertMany(batch));
  const [active, readMs] = timed(() => store.decisions.active(now + 1000));
  const [, countMs] = timed(() => store.decisions.activeAutoCount(now + 1000));
  const [, offenceMs] = timed(() => store.decisions.offences(batch.slice(0, 1000).map((d) => d.value), now + 1000, 30 * 86_400_000));
  store.close();
  const [reopened, reopenMs] = timed(() => openStore(dir));
  const [again, coldReadMs] = timed(() => reopened.decisions.active(now + 1000));
  reopened.close();
  if (active.length !== count || again.length !== count) throw new Error(`expected ${count} active, got ${active.length}/${again.length}`);
  const size = statSync(join(dir, 'synguard.db')).size + (statSync(join(dir, 'synguard.db-wal'), { throwIfNoEntry: false })?.size ?? 0);
  const figures = {
    decisions: count,
    insertOneTransactionMs: Math.round(insertMs),
    readActiveMs: Math.round(readMs),
    activeAutoCountMs: +countMs.toFixed(2),
    offences1000ValuesMs: Math.round(offenceMs),
    reopenMs: Math.round(reopenMs),
    readActiveAfterReopenMs: Math.round(coldReadMs),
    dbBytes: size,
  };
  console.log(JSON.stringify(figures, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
