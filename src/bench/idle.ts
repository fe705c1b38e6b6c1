// `node dist/bench/idle.js [SECONDS]`: what an idle daemon costs with the API on — CPU share of one core and RSS,
// read from /proc for the daemon's own pid — first with nobody watching, then with one dashboard stream open.
// In a throwaway namespace with its own state directory; nothing touches the host.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnLong } from '../core/exec.js';
import { withNs } from '../testing/test-ns.js';
import { startDaemon } from '../testing/json-lines.js';
import { cpuTicks, median } from './measure.js';

const seconds = Number(process.argv[2] ?? 30);
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function memoryMB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function measure(pid: number): Promise<string> {
  const t0 = Date.now(), c0 = cpuTicks(pid);
  const rss: number[] = [];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    rss.push(memoryMB(pid).rss);
  }
  const cpu = ((cpuTicks(pid) - c0) / TICKS_PER_SECOND) / ((Date.now() - t0) / 1000);
  return `CPU ${(cpu * 100).toFixed(2)}% of one core, RSS median ${median(rss).toFixed(1)} MB (peak ${memoryMB(pid).peak.toFixed(1)} MB)`;
}

await withNs(async (ns) => {
  const state = mkdtempSync(join(tmpdir(), 'sg-idle-'));
  const daemon = startDaemon(ns, state);
  try {
    const pid = daemon.child.pid;
    if (pid === undefined) throw new Error('the daemon did not start');
    await daemon.waitFor((l) => l.event === 'http', { ms: 15_000, what: 'the HTTP listener' });
    await sleep(5000); // past start-up
    console.log(`idle daemon, API on, 1 s ticks, ${seconds} s, nobody watching: ${await measure(pid)}`);
    // One dashboard stream, read by a node process in the namespace for the whole measurement.
    const reader = spawnLong(process.execPath, ['--input-type=module', '-e',
      "const r = await fetch('http://127.0.0.1:9717/api/v1/stream'); for await (const _ of r.body) {}"], { netns: ns, stdio: 'ignore' });
    await sleep(3000);
    console.log(`idle daemon, API on, 1 s ticks, ${seconds} s, one dashboard stream open: ${await measure(pid)}`);
    reader.child.kill('SIGTERM');
    await reader.exited;
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    rmSync(state, { recursive: true, force: true });
  }
});
