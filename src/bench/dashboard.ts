// `node dist/bench/dashboard.js [RUNS]`: the dashboard's weight and speed in Debian's headless Chromium against a real
// daemon (dry run, default config) in a throwaway namespace whose store holds 100,000 active bans. Prints the first
// load (requests, bytes: the page's files, uPlot's share, the API's answers), GET /api/v1/bans?offset=0&limit=50 from the namespace, and the time from
// navigation to the bans panel's first page on screen, RUNS reloads each (default 5).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withNs } from '../testing/test-ns.js';
import { seedBans, startDriver } from '../e2e/dashboard-session.js';
import { startDaemon } from '../testing/json-lines.js';

const runs = Number(process.argv[2] ?? 5);
const N = 100_000;
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (xs: unknown): string => (xs as number[]).map((x) => Math.round(x)).join(', ');

const state = mkdtempSync(join(tmpdir(), 'sg-bench-dash-'));
try {
  seedBans(state, N, Date.now());
  await withNs(async (ns) => {
    const daemon = startDaemon(ns, state, ['--dry-run']); // the store is measured here, not 100k kernel set elements
    let drv: ReturnType<typeof startDriver> | null = null;
    try {
      await daemon.waitFor((l) => l.event === 'http' && typeof l['listen'] === 'string', { ms: 60_000, what: 'the HTTP listener' });
      drv = startDriver(ns);
      await drv.waitFor((l) => l.event === 'ready', { ms: 90_000, what: 'the page ready' });
      const timing = await drv.send({ cmd: 'bans-timing', runs }, 'bans-timing', 300_000);
      const done = await drv.send({ cmd: 'done' }, 'done');
      const first = done['firstLoad'] as { requests: number; bytes: number; files: { url: string; bytes: number }[] };
      const sum = (pred: (url: string) => boolean): number => first.files.filter((f) => pred(f.url)).reduce((n, f) => n + f.bytes, 0);
      const api = sum((u) => u.includes('/api/'));
      console.log([
        `First load: ${first.requests} requests, ${kb(first.bytes)}: the page's own files ${kb(first.bytes - api)} (uPlot ${kb(sum((u) => u.endsWith('/uplot.js')))}), `
          + `the API's answers ${kb(api)} (with ${N.toLocaleString('en-US')} bans in the store).`,
        `${N.toLocaleString('en-US')} active bans, ${runs} runs each:`,
        `- GET /api/v1/bans?offset=0&limit=50 from the namespace: ${ms(timing['directMs'])} ms, median ${Math.round(timing['directMedianMs'] as number)} ms`,
        `- navigation to the bans panel's first page on screen: ${ms(timing['renderMs'])} ms, median ${Math.round(timing['renderMedianMs'] as number)} ms`,
        `- the page's own bans requests: ${ms(timing['pageFetchMs'])} ms`,
      ].join('\n'));
    } finally {
      drv?.child.kill('SIGKILL');
      await drv?.exited;
      daemon.child.kill('SIGKILL');
      await daemon.exited;
    }
  });
} finally {
  rmSync(state, { recursive: true, force: true });
}
