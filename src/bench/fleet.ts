// `node dist/bench/fleet.js [--count N]` (root): 10,000 bans through a real CrowdSec LAPI (Debian's 1.4.6, SQLite),
// in lab namespaces. Publish: synguard on A starts with N bans in its store and pushes them (batches of 100); timed
// until the LAPI's database holds all N. Enforce: synguard on B (pull) and crowdsec-firewall-bouncer on C start
// together against that LAPI; timed until each one's nft set holds all N.
import { cpus, release } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../core/exec.js';
import type { Decision } from '../core/decision.js';
import { setupLapi, startBouncer, withFleetLab, type FleetLab } from '../e2e/fleet-lab.js';
import { openStore } from '../store/index.js';
import { startDaemon } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';

const count = Number(process.argv[process.argv.indexOf('--count') + 1] ?? 10_000) || 10_000;
const now = Date.now();
const addr = (i: number) => `198.19.${i >> 8}.${i & 255}`;

function config(lapiUrl: string, part: 'push' | 'pull'): string {
  const file = join(tempDir('sg-bench-fleet-'), 'config.yaml');
  writeFileSync(file, JSON.stringify({
    http: { enabled: false },
    crowdsec: part === 'push'
      ? { url: lapiUrl, push: { login: 'sg-a', password: 'sg-a-password-1' } }
      : { url: lapiUrl, pull: { apiKey: 'sg-b-pull-key-000001', every: '10s' } },
  }));
  return file;
}

/** Elements in an nft set, or 0 when it does not exist yet. */
async function setSize(ns: string, family: string, table: string, set: string): Promise<number> {
  const r = await exec('nft', ['-j', 'list', 'set', family, table, set], { netns: ns, timeoutMs: 30_000 });
  if (r.failed) return 0;
  const parsed = JSON.parse(r.stdout) as { nftables: Array<{ set?: { elem?: unknown[] } }> };
  return parsed.nftables.find((x) => x.set)?.set?.elem?.length ?? 0;
}

async function until(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  while (!(await check())) {
    if (performance.now() - t0 > ms) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(250);
  }
  return performance.now() - t0;
}

async function run(lab: FleetLab): Promise<string[]> {
  const lapi = await setupLapi(lab.lapi, { 'sg-a': 'sg-a-password-1' }, { 'sg-b': 'sg-b-pull-key-000001', 'fw-c': 'fw-c-key-0000000001' });
  await lapi.start();
  const stateA = tempDir('sg-bench-a-');
  const store = openStore(stateA);
  store.decisions.insertMany(Array.from({ length: count }, (_, i): Decision => ({
    scope: 'ip', value: `${addr(i)}/32`, action: 'ban', reason: 'half-open flood', evidence: [`${addr(i)}: 300 half-open (ban at 100)`],
    origin: 'auto', createdAt: now, until: now + 4 * 3_600_000, offence: 1,
  })));
  store.close();
  const a = startDaemon(lab.a.ns, stateA, ['--config', config(lapi.url, 'push')]);
  let b: ReturnType<typeof startDaemon> | null = null;
  let c: ReturnType<typeof startBouncer> | null = null;
  try {
    await a.waitFor((l) => l.event === 'start', { ms: 60_000 });
    const published = await until('all published', 600_000, () => (lapi.decisions('synguard').size >= count));
    const pushes = a.lines.filter((l) => l.event === 'crowdsec-pushed').length;
    // Enforce: both pullers start at the same moment.
    const t0 = performance.now();
    b = startDaemon(lab.b.ns, tempDir('sg-bench-b-'), ['--config', config(lapi.url, 'pull')]);
    c = startBouncer(lab.c, lapi.url, 'fw-c-key-0000000001', '10s');
    let doneB = 0, doneC = 0;
    await until('both enforce everything', 600_000, async () => {
      if (!doneB && (await setSize(lab.b.ns, 'inet', 'synguard', 'ban4')) >= count) doneB = performance.now() - t0;
      if (!doneC && (await setSize(lab.c.ns, 'ip', 'crowdsec', 'crowdsec-blacklists')) >= count) doneC = performance.now() - t0;
      return doneB > 0 && doneC > 0;
    });
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    // B's own breakdown from its log: its start line, the pull stored, and the set full (wall clock, ms).
    const at = (event: string) => Date.parse(String(b?.lines.find((l) => l.event === event)?.['time'] as string | undefined ?? ''));
    const pulledAfterStart = at('crowdsec-pulled') - at('start');
    return [
      `| publish ${count.toLocaleString('en-US')} bans: synguard A → LAPI (POST /v1/alerts, batches of 100, ${pushes} push rounds) | ${s(published)} | ${Math.round(count / (published / 1000)).toLocaleString('en-US')} bans/s |`,
      `| enforce them: synguard B (GET /v1/decisions/stream?startup=true, store, nft), from its start (its \`start\` log line to the pull stored: ${s(pulledAfterStart)}) | ${s(doneB)} | ${Math.round(count / (doneB / 1000)).toLocaleString('en-US')} bans/s |`,
      `| enforce them: crowdsec-firewall-bouncer 0.0.25 C (nftables), started at the same moment | ${s(doneC)} | ${Math.round(count / (doneC / 1000)).toLocaleString('en-US')} bans/s |`,
    ];
  } finally {
    for (const p of [a, b, c]) p?.child.kill('SIGKILL');
    await Promise.all([a.exited, b?.exited, c?.exited]);
    await lapi.stop();
  }
}

const rows = await withFleetLab(run);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Linux ${release()}, Node ${process.version}; CrowdSec LAPI 1.4.6 on SQLite (WAL)`);
console.log('| step | time | rate |\n|---|---:|---:|');
for (const r of rows) console.log(r);
