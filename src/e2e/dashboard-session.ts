// Test and bench support: the dashboard driver (dashboard-driver.js, Chromium) spawned in a namespace and spoken to in
// JSON lines, and a state directory seeded with many active bans. Used by the dashboard e2e test and bench.
import { fileURLToPath } from 'node:url';
import { spawnLong } from '../core/exec.js';
import type { Decision } from '../core/decision.js';
import { openStore } from '../store/index.js';
import { jsonLines, type Line } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';

const DRIVER = fileURLToPath(new URL('./dashboard-driver.js', import.meta.url));
/** The daemon's default listen address, as seen from inside its namespace. */
export const URL_IN_NS = 'http://127.0.0.1:9717/';

/** What the page shows (dashboard-driver.ts's `sample`). */
export interface Sample {
  state: string; kind: string | null; verdictText: string; summary: string; attack: string | null;
  points: number; synrecvLast: number; synrecvMax: number; kpiSynRecv: string;
  bansRows: number; bansTotal: string; firstBan: string; bansPage: string; bansMessage: string | null; tokenForm: boolean;
  timeline: number; canvases: number;
  senders: string[]; banOrigin: string;
}

/** Chromium inside the namespace; `send` a command and wait for its answer. */
export function startDriver(ns: string) {
  const spawned = spawnLong(process.execPath, [DRIVER, JSON.stringify({ url: URL_IN_NS })], {
    // Chromium's profile and playwright's artifacts go to a directory removed when this process exits: a browser
    // ended by a signal leaves them behind otherwise.
    netns: ns, env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', TMPDIR: tempDir('sg-chromium-') },
  });
  const io = jsonLines(spawned.child, (l) => (l.event === 'error' ? `driver: ${String(l['message'])}` : null));
  const send = async (cmd: Record<string, unknown>, answer: string, ms = 60_000): Promise<Line> => {
    const from = io.lines.length;
    spawned.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
    return io.waitFor((l) => l.event === answer, { ms, from, what: `the driver's ${answer}` });
  };
  const sample = async () => (await send({ cmd: 'sample' }, 'sample'))['sample'] as Sample;
  return { ...spawned, ...io, send, sample };
}

/** n active bans on lab addresses (198.18.0.0/15), stored directly, as a state directory the daemon then opens. */
export function seedBans(stateDir: string, n: number, now: number): void {
  const store = openStore(stateDir);
  try {
    const bans: Decision[] = [];
    for (let i = 0; i < n; i++) {
      const addr = `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;
      bans.push({ scope: 'ip', value: addr, action: 'ban', reason: 'seeded for the dashboard test', evidence: [], origin: 'auto',
        createdAt: now - (n - i) * 10, until: now + 3_600_000 + i * 10, offence: 1 });
    }
    store.decisions.insertMany(bans);
  } finally {
    store.close();
  }
}
