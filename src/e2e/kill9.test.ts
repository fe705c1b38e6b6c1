// kill -9 at random points (seeded; SYNGUARD_SEED=N reruns one): during the one nft transaction that applies 100k
// bans, during the start-up reconcile that removes 10k stale bans and adds 10k new ones, and during a store
// migration of 100k decisions. Each time the restart reconciles exactly: the bans in the kernel are the store's
// active bans, no decision is duplicated, and the kernel never holds half a transaction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { alive } from '../core/alive.js';
import type { Decision } from '../core/decision.js';
import { exec, spawnLong } from '../core/exec.js';
import { NftablesEnforcer } from '../enforce/nftables.js';
import { nsPids } from '../lab/netns.js';
import { MIGRATIONS, SCHEMA_VERSION, migrate, openStore } from '../store/index.js';
import { startDaemon } from '../testing/json-lines.js';
import { wallClock } from '../testing/clock.js';
import { seededRandom, testSeed } from '../testing/random.js';
import { tempDir } from '../testing/temp.js';
import { withNs } from '../testing/test-ns.js';
import { LAB, needs } from '../testing/needs.js';

const N = 100_000;
const seed = testSeed(wallClock());
const random = seededRandom(seed);
console.log(`# kill -9 points: seed ${seed} (SYNGUARD_SEED=${seed} to rerun them)`);

const addr = (i: number): string => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;

/** Bans `from` to `to` - 1 (as manual bans of an hour), stored straight into the state directory. */
function storeBans(state: string, from: number, to: number, now: number): void {
  const store = openStore(state);
  try {
    const bans: Decision[] = [];
    for (let i = from; i < to; i++) bans.push({ scope: 'ip', value: addr(i), action: 'ban', reason: 'kill -9 test', evidence: [], origin: 'manual', createdAt: now, until: now + 3_600_000, offence: 1 });
    store.decisions.insertMany(bans);
  } finally {
    store.close();
  }
}

/** Active decisions in the store: how many, how many distinct values, and the values. */
function storeActive(state: string, now: number): { rows: number; distinct: number; values: Set<string> } {
  const db = new Database(join(state, 'synguard.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT value FROM decisions WHERE ended_at IS NULL AND until > ?').pluck().all(now) as string[];
    return { rows: rows.length, distinct: new Set(rows).size, values: new Set(rows) };
  } finally {
    db.close();
  }
}

async function kernelBans(ns: string): Promise<Set<string>> {
  return new Set((await new NftablesEnforcer({ netns: ns }).list(wallClock())).map((b) => b.value));
}

/** The pids of `pid`'s children running `nft -f` (a transaction on its way). */
function nftApplying(pid: number): number[] {
  try {
    const kids = readdirSync(`/proc/${pid}/task`).flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean));
    return kids.filter((k) => { try { return readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0').includes('-f'); } catch { return false; } }).map(Number);
  } catch {
    return [];
  }
}

/** Waits until nothing runs in the namespace any more (an orphaned nft finishes or fails its transaction). */
async function quiet(ns: string): Promise<void> {
  for (const start = wallClock(); (await nsPids(ns)).length > 0; await sleep(100)) {
    if (wallClock() - start > 60_000) assert.fail(`processes still running in ${ns}`);
  }
}

/** Starts the daemon, kills it -9 when `when` says so, waits for quiet; returns where the kill landed. */
async function killDuringStart(ns: string, state: string, when: (pid: number, started: number) => boolean): Promise<string> {
  const d = startDaemon(ns, state);
  const started = wallClock();
  const pid = d.child.pid!;
  let seen = false;
  // never past the reconcile line or a minute: a point that did not come is a kill after the start-up
  while (d.child.exitCode === null && !when(pid, started) && !d.lines.some((l) => l.event === 'reconcile') && wallClock() - started < 60_000) {
    seen ||= nftApplying(pid).length > 0;
    await sleep(10);
  }
  const applying = nftApplying(pid).length > 0;
  d.child.kill('SIGKILL');
  await d.exited;
  await quiet(ns);
  const reconciled = d.lines.some((l) => l.event === 'reconcile');
  const where = reconciled ? 'after the reconcile' : applying ? 'while nft -f ran' : seen ? 'after nft -f ended, before the reconcile line' : 'before the transaction';
  return `${wallClock() - started} ms after spawn, ${where}`;
}

/** A full start: the reconcile line, then SIGKILL; how long the start took. */
async function fullStart(ns: string, state: string): Promise<{ ms: number; line: Record<string, unknown> }> {
  const d = startDaemon(ns, state);
  const started = wallClock();
  try {
    const line = await d.waitFor((l) => l.event === 'reconcile', { ms: 120_000 });
    return { ms: wallClock() - started, line };
  } finally {
    d.child.kill('SIGKILL');
    await d.exited;
    await quiet(ns);
  }
}

test('kill -9 during the 100k-ban start-up transaction and during a reconcile that removes and adds 10k: the restart reconciles exactly', needs(LAB, async () => {
  await withNs(async (ns) => {
    const state = tempDir('sg-e2e-kill9-');
    const t0 = wallClock();
    storeBans(state, 0, N, t0);
    const points: string[] = [];
    // 1. The transaction that applies 100k bans: the first nft -f still running after 150 ms (the set-up scripts take a
    // few ms; this one about 400 ms here), then killed at a random point 0–250 ms later. A kill that came after the
    // transaction leaves 100k in the kernel: the table is deleted so that the next start applies them again.
    for (let k = 0; k < 4; k++) {
      const after = random() * 250;
      const firstSeen = new Map<number, number>();
      let bigAt = 0;
      points.push(await killDuringStart(ns, state, (pid) => {
        for (const nft of nftApplying(pid)) if (!firstSeen.has(nft)) firstSeen.set(nft, wallClock());
        const alive = nftApplying(pid);
        if (bigAt === 0 && alive.some((p) => wallClock() - (firstSeen.get(p) ?? Infinity) >= 150)) bigAt = wallClock();
        return bigAt !== 0 && wallClock() - bigAt >= after;
      }));
      const inKernel = (await kernelBans(ns)).size;
      points.push(`  → ${inKernel} in the kernel`);
      assert.ok(inKernel === 0 || inKernel === N, `all of the transaction or none of it: ${inKernel} bans in the kernel`);
      if (inKernel === N && k < 3) await exec('nft', ['delete', 'table', 'inet', 'synguard'], { netns: ns });
    }
    const first = await fullStart(ns, state);
    assert.equal(first.line['inStore'], N);
    assert.deepEqual(await kernelBans(ns), storeActive(state, wallClock()).values, 'the kernel holds exactly the store\'s bans');

    // 2. The store changes under a stopped daemon: 10k end, 10k new. The start-up reconcile removes 10k and adds 10k.
    const store = openStore(state);
    for (let i = 0; i < 10_000; i++) store.decisions.endValue(addr(i), { now: wallClock(), by: 'kill -9 test', kind: 'unban' });
    store.close();
    storeBans(state, N, N + 10_000, wallClock());
    const range = (from: number, to: number) => new Set(Array.from({ length: to - from }, (_, i) => addr(from + i)));
    const [before, after] = [range(0, N), range(10_000, N + 10_000)];
    for (let k = 0; k < 3; k++) {
      const at = random() * first.ms * 1.2;
      points.push(await killDuringStart(ns, state, (_pid, started) => wallClock() - started >= at));
      const kernel = await kernelBans(ns);
      const same = (s: Set<string>) => s.size === kernel.size && [...s].every((v) => kernel.has(v));
      assert.ok(same(before) || same(after), `a reconcile is one transaction: the kernel holds the old bans or the new, ${kernel.size} now`);
    }
    const last = await fullStart(ns, state);
    const active = storeActive(state, wallClock());
    assert.equal(active.rows, N, 'no decision duplicated');
    assert.equal(active.distinct, N);
    assert.deepEqual(await kernelBans(ns), active.values, 'bans in the kernel == bans in the store');
    assert.equal(last.line['inStore'], N);
    // A daemon killed mid-commit leaves its batch file behind; the next one to commit removes it.
    const leftovers = readdirSync(tmpdir()).filter((n) => /^synguard-nft-\d+-/.test(n) && !alive(Number(n.split('-')[2])));
    assert.deepEqual(leftovers, [], 'no batch directory of a killed daemon is left');
    console.log(`# kill -9 points (seed ${seed}): ${points.join('; ')}; full start ${first.ms} ms, reconcile after: ${JSON.stringify(last.line)}`);
  });
}));

const OPEN = `import { openStore } from ${JSON.stringify(new URL('../store/open.js', import.meta.url).href)};
console.log('opening'); const t = performance.now(); openStore(process.argv[1]).close(); console.log('opened', performance.now() - t);`;

test('kill -9 during a store migration of 100k decisions: the next open finishes it; every decision kept once', needs(['root'], async () => {
  const points: string[] = [];
  // How long a migration from version 2 takes here, in a process of its own (from spawn to exit).
  const oldStore = (): string => {
    const state = tempDir('sg-e2e-migrate-');
    const now = wallClock();
    const db = new Database(join(state, 'synguard.db'));
    db.pragma('journal_mode = WAL');
    migrate(db, MIGRATIONS.slice(0, 2));
    const insert = db.prepare("INSERT INTO decisions (scope, value, action, reason, evidence, origin, created_at, until, offence) VALUES ('ip', ?, 'ban', 'old', '[]', 'manual', ?, ?, 1)");
    db.transaction(() => { for (let i = 0; i < N; i++) insert.run(addr(i), now, now + 3_600_000); })();
    db.close();
    return state;
  };
  /** Opens (so migrates) the store in a process of its own; kills it `killAfterMs` after it starts opening. */
  const upgrade = async (state: string, killAfterMs: number | null): Promise<number> => {
    const { child, exited } = spawnLong(process.execPath, ['--input-type=module', '-e', OPEN, state]);
    let out = '';
    child.stdout?.on('data', (b: Buffer) => { out += b.toString(); });
    if (killAfterMs !== null) {
      while (!out.includes('opening') && child.exitCode === null) await sleep(1);
      await Promise.race([sleep(killAfterMs), exited]);
      child.kill('SIGKILL');
    }
    await exited;
    return Number(/opened (\S+)/.exec(out)?.[1] ?? NaN);
  };
  const calibrate = oldStore();
  const full = await upgrade(calibrate, null); // the migrations alone, ms
  assert.ok(full > 0, 'the calibration run opened the store');
  assert.equal(new Database(join(calibrate, 'synguard.db'), { readonly: true }).pragma('user_version', { simple: true }), SCHEMA_VERSION);
  for (let k = 0; k < 4; k++) {
    const state = oldStore();
    const at = random() * full * 1.2;
    await upgrade(state, at);
    const db = new Database(join(state, 'synguard.db'), { readonly: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(db.prepare('SELECT COUNT(*) FROM decisions').pluck().get(), N, `version ${version}: every decision there`);
    db.close();
    points.push(`${at.toFixed(0)} ms → left at version ${version}`);
    const store = openStore(state);
    assert.equal(store.migrated.to, SCHEMA_VERSION);
    const rows = store.decisions.active(wallClock());
    assert.equal(rows.length, N, 'every decision once');
    assert.equal(new Set(rows.map((r) => r.value)).size, N);
    assert.deepEqual([Math.min(...rows.map((r) => r.id)), Math.max(...rows.map((r) => r.id))], [1, N], 'ids kept');
    store.close();
  }
  console.log(`# migration kills (seed ${seed}; the migrations from version 2 take ${full.toFixed(0)} ms): ${points.join('; ')}`);
}));
