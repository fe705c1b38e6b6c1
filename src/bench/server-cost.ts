// `node dist/bench/server-cost.js [--rounds N] [--seconds S] [--modes keep-alive,close] [--perf] [--layers] [--tick] [--floor] [--hooks] [--proof]`: what synguard's
// parts cost a real server with no attack at all. Debian's nginx in a lab victim namespace, wrk (`-t1 -c10`) from the
// client namespace, alternated in one sitting: nothing of synguard; its nftables rules alone (ban chain, meter and
// proof, as the daemon installs them at rest, applied with `nft -f`); the daemon itself with defaults. Prints each
// arm's requests/s against the bare server (medians of the rounds' own ratios) and the daemon's CPU share.
// On a shared VM, requests/s follow the CPU the hypervisor steals (0–30 % from one run to the next here, correlation
// −0.84 with requests/s): each run's steal is read from /proc/stat, and the steal-adjusted ratio divides each run's
// requests/s by the share of the CPU it kept. With --perf (needs `perf`, Debian's linux-perf), `perf record -a` runs
// beside wrk in every arm (its own cost then falls on all), and a column gives the share of all CPU samples spent
// in nftables and its hooks: a ratio within one run, steadier than requests/s here. With --layers, the arms are the
// parts of the rules one by one (the hooks alone, the ban chain, the proof rule, the meter, all) instead of the daemon.
// With --before DIST, the arms are the rules as the daemon keeps them with no ban in force (meter, proof, empty ban
// chain) from this build and from the build in DIST (another checkout's dist/), to compare two rule layouts in one
// sitting. With --perf, a column also gives nftables' CPU per request (µs): its share of both CPUs' samples over the
// run's requests, which does not move with the run's own requests/s. Each arm's p99 latency (wrk --latency) is
// given against the bare server's too. With --tick, the arms are the daemon's own activity: the daemon as started;
// the same daemon stopped (SIGSTOP) after its start, so its rules stay and it does nothing; and the daemon ticking
// every 5 s (`defender.interval`). --settle S waits S seconds after the daemon's start (default 1.5). With --floor,
// the arms say what this measure can tell apart: nothing again (an A/A arm: its ratios are the measure's own spread);
// the rules as the daemon keeps them at rest; and the same rules beside a bare Node.js process whose timer fires once
// a second (WAKER): what any once-a-second wake costs, with nothing of the daemon's work. With --hooks, the arms are
// the rules' skeleton on three pairs of netfilter hooks (hookSkeleton): does an earlier hook cost a packet less? With
// --proof, the rules at rest against two cheaper proofs: a data packet proves its destination one time in 8 (a FIN
// always), or only a FIN does.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, spawnLong } from '../core/exec.js';
import { configFrom } from '../config/load.js';
import { TABLE, banStatements, initScript, proofStatements } from '../enforce/nft-script.js';
import { meterScript } from '../enforce/meter-script.js';
import { meterOptions } from '../enforce/nft-meter.js';
import { startRealServer } from '../lab/real-server.js';
import { withLab } from '../lab/topology.js';
import { parseWrk, wrkArgs, type WrkMode } from '../lab/wrk.js';
import { startDaemon } from '../testing/json-lines.js';
import { cpuTicks, machineTicks, median, stealShare } from './measure.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = argv.indexOf(name); return i >= 0 ? (argv[i + 1] ?? dflt) : dflt; };
const rounds = Number(opt('--rounds', '5'));
const seconds = Number(opt('--seconds', '8'));
const modes = opt('--modes', 'keep-alive,close').split(',') as WrkMode[];
const perf = argv.includes('--perf');
const settleS = Number(opt('--settle', '1.5'));
if (perf && (await exec('perf', ['--version'])).failed) throw new Error('--perf needs perf (apt-get install linux-perf)');

/** Share (%) of all samples in a `perf record -a` file spent in nftables' expressions, sets and hooks. */
async function nftShare(file: string): Promise<number> {
  const report = await exec('perf', ['report', '-i', file, '--sort', 'sym', '--stdio'], { timeoutMs: 60_000 });
  let share = 0;
  for (const m of report.stdout.matchAll(/^\s+([\d.]+)%\s+\[k\] (\S+)/gm)) {
    if (/^(nft_|__nft_|nf_hook_slow$|jhash)/.test(m[2] ?? '')) share += Number(m[1]);
  }
  return share;
}
const METER = meterScript(meterOptions(configFrom({}), false, false));
const TABLE_LINE = `add table inet ${TABLE}`;
/** The rules as the daemon keeps them with no ban in force, from one build's modules (`dist` directory). */
async function restRules(dist: string): Promise<string> {
  const bans = (await import(join(dist, 'enforce/nft-script.js'))) as typeof import('../enforce/nft-script.js');
  const meter = (await import(join(dist, 'enforce/meter-script.js'))) as typeof import('../enforce/meter-script.js');
  const options = (await import(join(dist, 'enforce/nft-meter.js'))) as typeof import('../enforce/nft-meter.js');
  const config = (await import(join(dist, 'config/load.js'))) as typeof import('../config/load.js');
  return [bans.initScript(), bans.restScript(), meter.meterScript(options.meterOptions(config.configFrom({}), false, false)), ...meter.allowStatements(['127.0.0.0/8', '::1/128']), ''].join('\n');
}
const beforeDist = opt('--before', '');
/** `text` with `from` replaced by `to`; throws when `from` is not there (the rules changed, and the arm would be rest's). */
function edited(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`server-cost: the rules no longer hold "${from}"`);
  return text.replace(from, to);
}
/**
 * With --layers, each part of the rules alone instead of the daemon: two empty base chains (the hooks themselves),
 * the ban chain, the proof rule (output), the meter (with the proof rule it needs), and all of them.
 */
const REST = await restRules(join(import.meta.dirname, '..'));
const LAYERS = {
  base: [TABLE_LINE, ...['prerouting priority raw', 'output priority filter'].map((hook, i) => `add chain inet ${TABLE} c${i} { type filter hook ${hook}; policy accept; }`), ''].join('\n'),
  ban: [TABLE_LINE, ...banStatements(), ''].join('\n'),
  proof: [TABLE_LINE, ...proofStatements(), ''].join('\n'),
  meter: METER,
  rules: initScript() + METER,
  rest: REST,
  sampled: edited(REST, 'add rule inet synguard prove meta nfproto ipv4', 'add rule inet synguard prove tcp flags & fin == 0 numgen random mod 8 != 0 return\nadd rule inet synguard prove meta nfproto ipv4'),
  fin: edited(REST, 'output tcp flags & (fin | psh) != 0 tcp flags & (syn | rst) == 0', 'output tcp flags & (fin | syn | rst) == fin'),
  before: beforeDist === '' ? '' : await restRules(beforeDist),
} as const;
/**
 * With --hooks, the rules' skeleton on three pairs of hooks: the flags test on every packet each way, a jump to an
 * empty chain for a SYN, and the proof's set for a data or FIN packet sent. `inet`: prerouting (raw) and output, as
 * built; `ingress`: the devices' ingress hook in place of prerouting, output kept; `netdev`: the devices' ingress and
 * egress hooks, in a netdev table.
 */
function hookSkeleton(arm: 'inet' | 'ingress' | 'netdev', devices: readonly string[]): string {
  const family = arm === 'netdev' ? 'netdev' : 'inet', t = `${family} ${TABLE}`;
  const devs = `devices = { ${devices.join(', ')} }`;
  const input = arm === 'inet' ? 'hook prerouting priority raw' : `hook ingress ${devs} priority -500`;
  const output = arm === 'netdev' ? `hook egress ${devs} priority 0` : 'hook output priority filter';
  return [
    `add table ${t}`,
    `add set ${t} proven4 { type ipv4_addr; flags dynamic, timeout; size 65536; timeout 15m; }`,
    `add chain ${t} m`, `add chain ${t} p`,
    `add chain ${t} c { type filter ${input}; policy accept; }`,
    `add chain ${t} o { type filter ${output}; policy accept; }`,
    `add rule ${t} c tcp flags & (syn | ack) == syn jump m`,
    `add rule ${t} o tcp flags & (fin | psh) != 0 tcp flags & (syn | rst) == 0 ${arm === 'netdev' ? '' : 'oif != "lo" '}goto p`,
    `add rule ${t} p ${arm === 'netdev' ? 'meta protocol ip' : 'meta nfproto ipv4'} add @proven4 { ip daddr }`,
    '',
  ].join('\n');
}
/** A process that only wakes once a second, allocating a little as a tick does: the floor of any periodic daemon. */
const WAKER = 'setInterval(() => { const a = []; for (let i = 0; i < 2000; i++) a.push({ i }); }, 1000);';
const ARMS = beforeDist !== '' ? (['none', 'rest', 'before'] as const)
  : argv.includes('--layers') ? (['none', 'base', 'ban', 'proof', 'meter', 'rules'] as const)
  : argv.includes('--tick') ? (['none', 'daemon', 'stopped', 'tick5'] as const)
  : argv.includes('--proof') ? (['none', 'rest', 'sampled', 'fin'] as const)
  : argv.includes('--hooks') ? (['none', 'inet', 'ingress', 'netdev'] as const)
  : argv.includes('--floor') ? (['none', 'again', 'rest', 'wake'] as const)
  : (['none', 'rules', 'daemon'] as const);
type Arm = (typeof ARMS)[number];

const result = await withLab({ attackers: 1 }, async (lab) => {
  const ns = lab.victim.ns;
  // The server's workers run as nobody: the run directory must be searchable by them (mkdtemp makes it 0700).
  const runDir = mkdtempSync(join(tmpdir(), 'sg-server-cost-'));
  chmodSync(runDir, 0o755);
  const server = await startRealServer('nginx', ns, runDir, lab.id, { port: 8080, backlog: 511 });
  const rps = new Map<string, number[]>();
  const cpu = new Map<string, number[]>();
  const shares = new Map<string, number[]>();
  const perRequest = new Map<string, number[]>(); // µs of nftables CPU per request
  const steal = new Map<string, number[]>(); // share of the CPU stolen during each run
  const p99 = new Map<string, number[]>(); // wrk's p99 latency, ms
  const links = await exec('ip', ['-n', ns, '-o', 'link', 'show', 'type', 'veth'], {});
  const victimDevices = [...links.stdout.matchAll(/^\d+: ([^@:]+)/gm)].map((m) => m[1] ?? '');
  const push = <K>(m: Map<K, number[]>, k: K, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
  try {
    for (let r = 0; r < rounds; r++) {
      for (const arm of r % 2 ? [...ARMS].reverse() : ARMS) {
        await exec('nft', ['delete', 'table', 'inet', TABLE], { netns: ns }); // absent is fine
        await exec('nft', ['delete', 'table', 'netdev', TABLE], { netns: ns });
        let daemon: ReturnType<typeof startDaemon> | null = null;
        let waker: ReturnType<typeof spawnLong> | null = null;
        const state = mkdtempSync(join(tmpdir(), 'sg-server-cost-state-'));
        try {
          // The arm's rules (the wake arm keeps those of rest), then its process, given the same settle.
          const rules = arm === 'wake' ? LAYERS.rest : arm in LAYERS ? LAYERS[arm as keyof typeof LAYERS]
            : arm === 'inet' || arm === 'ingress' || arm === 'netdev' ? hookSkeleton(arm, victimDevices) : null;
          if (rules !== null) {
            const applied = await exec('nft', ['-f', '-'], { netns: ns, input: rules });
            if (applied.failed) throw new Error(`nft -f failed: ${applied.stderr}`);
          }
          if (arm === 'wake') waker = spawnLong(process.execPath, ['-e', WAKER], { netns: ns, stdio: 'ignore' });
          else if (rules === null && arm !== 'none' && arm !== 'again') {
            if (arm === 'tick5') writeFileSync(join(state, 'config.yaml'), 'defender:\n  interval: 5\n');
            daemon = startDaemon(ns, state, arm === 'tick5' ? ['--config', join(state, 'config.yaml')] : []);
            await daemon.waitFor((l) => l.event === 'http' || l.event === 'reconcile', { ms: 20_000, what: 'the daemon start' });
          }
          if (daemon ?? waker) await new Promise((resolve) => setTimeout(resolve, settleS * 1000));
          if (arm === 'stopped') daemon?.child.kill('SIGSTOP'); // its rules stay; it reads and writes nothing
          for (const mode of modes) {
            const pid = (daemon ?? waker)?.child.pid; // for the wake arm, the bare process's CPU
            const c0 = pid === undefined ? 0 : cpuTicks(pid), t0 = Date.now();
            const url = `http://${lab.victim.v4[0]}:8080/`;
            const args = wrkArgs(url, { connections: 10, durationS: seconds, mode });
            const perfFile = join(state, 'perf.data');
            const sampling = perf ? exec('perf', ['record', '-a', '-F', '999', '-o', perfFile, '--', 'sleep', String(seconds - 1)], { timeoutMs: (seconds + 15) * 1000 }) : null;
            const m0 = machineTicks();
            const w = await exec('wrk', args, { netns: lab.client.ns, timeoutMs: (seconds + 15) * 1000 });
            const stolen = stealShare(m0, machineTicks());
            const parsed = parseWrk(w.stdout);
            if (!parsed) throw new Error(`wrk gave no figures: ${w.stderr || w.stdout}`);
            if (sampling) {
              const share = (await sampling).failed ? NaN : await nftShare(perfFile);
              push(shares, `${arm} ${mode}`, share);
              push(perRequest, `${arm} ${mode}`, ((share / 100) * cpus().length * 1e6) / parsed.requestsPerSec);
            }
            push(rps, `${arm} ${mode}`, parsed.requestsPerSec);
            push(p99, `${arm} ${mode}`, parsed.latencyMs.p99 ?? NaN);
            push(steal, `${arm} ${mode}`, stolen);
            if (pid !== undefined) push(cpu, `${arm} ${mode}`, (cpuTicks(pid) - c0) / ((Date.now() - t0) / 1000)); // clock ticks are 1/100 s
          }
        } finally {
          if (waker) {
            waker.child.kill('SIGKILL');
            await waker.exited;
          }
          if (daemon) {
            daemon.child.kill('SIGCONT');
            daemon.child.kill('SIGTERM');
            await daemon.exited;
          }
          rmSync(state, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await server.stop();
    await exec('nft', ['delete', 'table', 'inet', 'synguard'], { netns: ns });
    rmSync(runDir, { recursive: true, force: true });
  }
  const span = (v: readonly number[], digits: number) => `(${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)})`;
  /** Median of the rounds' own ratios of `arm` against nothing, from one of the per-run maps. */
  const ratio = (m: Map<string, number[]>, arm: Arm, mode: WrkMode) => {
    const base = m.get(`none ${mode}`) ?? [];
    const rs = (m.get(`${arm} ${mode}`) ?? []).map((v, i) => v / (base[i] ?? NaN));
    return `${median(rs).toFixed(3)}× ${span(rs, 2)}`;
  };
  // Requests/s per share of the CPU the run kept.
  const kept = new Map([...rps].map(([key, v]) => [key, v.map((x, i) => x / (1 - Math.min(steal.get(key)?.[i] ?? 0, 0.9)))]));
  const cell = (v: readonly number[] = [], digits = 1, unit = '') => (v.length === 0 ? '–' : `${median(v).toFixed(digits)}${unit} ${span(v, digits)}`);
  const lines = [
    `nginx (1 worker) and wrk -t1 -c10, ${rounds} rounds of ${seconds} s per arm and mode, alternated; Node ${process.version}, load average ${(loadavg()[0] ?? 0).toFixed(1)} at the end.`,
    '',
    '| wrk mode | arm | req/s | vs nothing | p99, ms | p99 vs nothing | steal-adjusted | CPU stolen, % | nftables share of CPU samples | nftables µs per request | process CPU (daemon or waker), % of a core |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const mode of modes) {
    for (const arm of ARMS) {
      const key = `${arm} ${mode}`;
      const vs = arm === 'none' ? '1' : ratio(rps, arm, mode), adjusted = arm === 'none' ? '1' : ratio(kept, arm, mode);
      const stolen = (steal.get(key) ?? []).map((x) => 100 * x);
      lines.push(`| ${mode} | ${arm} | ${median(rps.get(key) ?? []).toFixed(0)} | ${vs} | ${cell(p99.get(key), 2)} | ${arm === 'none' ? '1' : ratio(p99, arm, mode)} | ${adjusted} | ${cell(stolen)} | ${perf ? cell(shares.get(key), 2, ' %') : '–'} | ${perf ? cell(perRequest.get(key), 3) : '–'} | ${cpu.has(key) ? cell(cpu.get(key)) : '–'} |`);
    }
  }
  return lines.join('\n');
});
console.log(result);
