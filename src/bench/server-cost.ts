// `node dist/bench/server-cost.js [--rounds N] [--seconds S] [--modes keep-alive,close] [--perf]`: what synguard's
// parts cost a real server with no attack at all. Debian's nginx in a lab victim namespace, wrk (`-t1 -c10`) from the
// client namespace, alternated in one sitting: nothing of synguard; its nftables rules alone (ban chain, meter and
// proof, as the daemon installs them at rest, applied with `nft -f`); the daemon itself with defaults. Prints each
// arm's requests/s against the bare server (medians of the rounds' own ratios) and the daemon's CPU share.
// On a shared VM, requests/s follow the CPU the hypervisor steals (0–30 % from one run to the next here, correlation
// −0.84 with requests/s): each run's steal is read from /proc/stat, and the steal-adjusted ratio divides each run's
// requests/s by the share of the CPU it kept. With --perf (needs `perf`, Debian's linux-perf), `perf record -a` runs
// beside wrk in every arm (its own cost then falls on all), and a third table gives the share of all CPU samples spent
// in nftables and its hooks: a ratio within one run, steadier than requests/s here.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../core/exec.js';
import { configFrom } from '../config/load.js';
import { initScript } from '../enforce/nft-script.js';
import { meterScript } from '../enforce/meter-script.js';
import { meterOptions } from '../enforce/nft-meter.js';
import { startRealServer } from '../lab/real-server.js';
import { withLab } from '../lab/topology.js';
import { parseWrk, type WrkMode } from '../lab/wrk.js';
import { startDaemon } from '../testing/json-lines.js';
import { cpuTicks, machineTicks, median, stealShare } from './measure.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = argv.indexOf(name); return i >= 0 ? (argv[i + 1] ?? dflt) : dflt; };
const rounds = Number(opt('--rounds', '5'));
const seconds = Number(opt('--seconds', '8'));
const modes = opt('--modes', 'keep-alive,close').split(',') as WrkMode[];
const perf = argv.includes('--perf');
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
const ARMS = ['none', 'rules', 'daemon'] as const;
type Arm = (typeof ARMS)[number];
const RULES = initScript() + meterScript(meterOptions(configFrom({}), false, false));

const result = await withLab({ attackers: 1 }, async (lab) => {
  const ns = lab.victim.ns;
  // The server's workers run as nobody: the run directory must be searchable by them (mkdtemp makes it 0700).
  const runDir = mkdtempSync(join(tmpdir(), 'sg-server-cost-'));
  chmodSync(runDir, 0o755);
  const server = await startRealServer('nginx', ns, runDir, lab.id, { port: 8080, backlog: 511 });
  const rps = new Map<string, number[]>();
  const cpu = new Map<WrkMode, number[]>();
  const shares = new Map<string, number[]>();
  const steal = new Map<string, number[]>(); // share of the CPU stolen during each run
  const push = <K>(m: Map<K, number[]>, k: K, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
  try {
    for (let r = 0; r < rounds; r++) {
      for (const arm of r % 2 ? [...ARMS].reverse() : ARMS) {
        await exec('nft', ['delete', 'table', 'inet', 'synguard'], { netns: ns }); // absent is fine
        let daemon: ReturnType<typeof startDaemon> | null = null;
        const state = mkdtempSync(join(tmpdir(), 'sg-server-cost-state-'));
        try {
          if (arm === 'rules') {
            const applied = await exec('nft', ['-f', '-'], { netns: ns, input: RULES });
            if (applied.failed) throw new Error(`nft -f failed: ${applied.stderr}`);
          } else if (arm === 'daemon') {
            daemon = startDaemon(ns, state);
            await daemon.waitFor((l) => l.event === 'http' || l.event === 'reconcile', { ms: 20_000, what: 'the daemon start' });
            await new Promise((resolve) => setTimeout(resolve, 1500));
          }
          for (const mode of modes) {
            const pid = daemon?.child.pid;
            const c0 = pid === undefined ? 0 : cpuTicks(pid), t0 = Date.now();
            const url = `http://${lab.victim.v4[0]}:8080/`;
            const args = ['-t1', '-c10', `-d${seconds}s`, ...(mode === 'close' ? ['-H', 'Connection: close'] : []), url];
            const perfFile = join(state, 'perf.data');
            const sampling = perf ? exec('perf', ['record', '-a', '-F', '999', '-o', perfFile, '--', 'sleep', String(seconds - 1)], { timeoutMs: (seconds + 15) * 1000 }) : null;
            const m0 = machineTicks();
            const w = await exec('wrk', args, { netns: lab.client.ns, timeoutMs: (seconds + 15) * 1000 });
            const stolen = stealShare(m0, machineTicks());
            if (sampling) push(shares, `${arm} ${mode}`, (await sampling).failed ? NaN : await nftShare(perfFile));
            const parsed = parseWrk(w.stdout);
            if (!parsed) throw new Error(`wrk gave no figures: ${w.stderr || w.stdout}`);
            push(rps, `${arm} ${mode}`, parsed.requestsPerSec);
            push(steal, `${arm} ${mode}`, stolen);
            if (pid !== undefined) push(cpu, mode, (cpuTicks(pid) - c0) / ((Date.now() - t0) / 1000)); // clock ticks are 1/100 s
          }
        } finally {
          if (daemon) {
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
  const lines = [
    `nginx (1 worker) and wrk -t1 -c10, ${rounds} rounds of ${seconds} s per arm and mode, alternated; Node ${process.version}, load average ${(loadavg()[0] ?? 0).toFixed(1)} at the end.`,
    '',
    '| wrk mode | nothing (req/s, median) | nftables rules alone, vs nothing | the daemon, vs nothing | daemon CPU, % of a core |',
    '|---|---:|---:|---:|---:|',
  ];
  const span = (v: readonly number[], digits: number) => `(${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)})`;
  /** Median of the rounds' own ratios of `arm` against nothing, from one of the per-run maps. */
  const ratio = (m: Map<string, number[]>, arm: Arm, mode: WrkMode) => {
    const base = m.get(`none ${mode}`) ?? [];
    const rs = (m.get(`${arm} ${mode}`) ?? []).map((v, i) => v / (base[i] ?? NaN));
    return `${median(rs).toFixed(3)}× ${span(rs, 2)}`;
  };
  for (const mode of modes) {
    const c = cpu.get(mode) ?? [];
    lines.push(`| ${mode} | ${median(rps.get(`none ${mode}`) ?? []).toFixed(0)} | ${ratio(rps, 'rules', mode)} | ${ratio(rps, 'daemon', mode)} | ${median(c).toFixed(1)} ${span(c, 1)} |`);
  }
  // Requests/s per share of the CPU the run kept.
  const kept = new Map([...rps].map(([key, v]) => [key, v.map((x, i) => x / (1 - Math.min(steal.get(key)?.[i] ?? 0, 0.9)))]));
  lines.push('', '| wrk mode | steal-adjusted: rules alone | the daemon | CPU stolen, % (all runs) |', '|---|---:|---:|---:|');
  for (const mode of modes) {
    const stolen = ARMS.flatMap((arm) => steal.get(`${arm} ${mode}`) ?? []).map((x) => 100 * x);
    lines.push(`| ${mode} | ${ratio(kept, 'rules', mode)} | ${ratio(kept, 'daemon', mode)} | ${median(stolen).toFixed(1)} ${span(stolen, 1)} |`);
  }
  if (perf) {
    lines.push('', '| wrk mode | nftables share of all CPU samples: rules alone | the daemon |', '|---|---:|---:|');
    const share = (key: string) => { const v = shares.get(key) ?? []; return `${median(v).toFixed(2)} % ${span(v, 2)}`; };
    for (const mode of modes) lines.push(`| ${mode} | ${share(`rules ${mode}`)} | ${share(`daemon ${mode}`)} |`);
  }
  return lines.join('\n');
});
console.log(result);
