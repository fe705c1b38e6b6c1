// `node dist/bench/startup.js [ROUNDS] [--before DIST] [--bans N]`: whole-process start-up of the CLI against a bare
// `node -e 0`, in interleaved rounds, medians; and `bans --json` on a store of N active bans (default 100,000). With --before, the same commands from another build (a copy of dist/ made before a
// change) run in the same rounds. Run with the Node under test first on PATH; the compile cache goes to a throwaway
// XDG_CACHE_HOME, warmed by one discarded round, and one contender runs with the cache off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatV4 } from '../core/address.js';
import { openStore } from '../store/index.js';
import { median, round, type Contender, type Timing } from './measure.js';

const argv = process.argv.slice(2);
const beforeAt = argv.indexOf('--before');
const before = beforeAt >= 0 ? argv[beforeAt + 1] : undefined;
const bansAt = argv.indexOf('--bans');
const bans = bansAt >= 0 ? Number(argv[bansAt + 1]) : 100_000;
const rounds = Number(argv.find((a, i) => /^\d+$/.test(a) && argv[i - 1] !== '--before' && argv[i - 1] !== '--bans') ?? 15);
const dist = fileURLToPath(new URL('../', import.meta.url));

const cache = mkdtempSync(join(tmpdir(), 'synguard-bench-cache-'));
const state = mkdtempSync(join(tmpdir(), 'synguard-bench-state-')); // no store: bans answers "none" from an empty state dir
const full = mkdtempSync(join(tmpdir(), 'synguard-bench-bans-'));
const store = openStore(full);
const now = Date.now();
store.decisions.insertMany(Array.from({ length: bans }, (_, i) => ({
  scope: 'ip' as const, value: `${formatV4((0xc6130000 + i) | 0)}/32`, action: 'ban' as const, reason: 'bench', evidence: ['syn-flood: 120 half-open'],
  origin: 'auto' as const, createdAt: now, until: now + 3_600_000, offence: 1,
})));
store.close();
const env = { ...process.env, XDG_CACHE_HOME: cache };
const noCache = { ...env, NODE_DISABLE_COMPILE_CACHE: '1' };
const COMMANDS: ReadonlyArray<readonly [label: string, args: readonly string[]]> = [
  ['--version', ['--version']],
  ['status --json --interval 0', ['status', '--json', '--interval', '0']],
  ['bans --json (no store)', ['bans', '--json', '--state-dir', state]],
  ['--help', ['--help']],
  ['run --help', ['run', '--help']],
  [`bans --json, ${bans.toLocaleString('en-US')} bans in the store`, ['bans', '--json', '--state-dir', full]],
];
const cli = (build: string, label: string, args: readonly string[], e = env): Contender =>
  ({ name: `${build}: ${label}`, file: process.execPath, args: [join(build === 'after' ? dist : resolve(before ?? ''), 'cli/main.js'), ...args], options: { env: e } });
const contenders: Contender[] = [
  { name: 'node -e 0', file: process.execPath, args: ['-e', '0'], options: { env } },
  ...COMMANDS.map(([label, args]) => cli('after', label, args)),
  cli('after', 'status --json --interval 0, compile cache off', COMMANDS[1]![1], noCache),
  ...(before ? COMMANDS.map(([label, args]) => cli('before', label, args)) : []),
];

try {
  await round(contenders, new Map()); // warms the compile cache and the page cache
  const t = new Map<string, Timing>();
  for (let i = 0; i < rounds; i++) await round(contenders, t);
  const base = median(t.get('node -e 0')!.wallMs);
  console.log([
    `Medians of ${rounds} interleaved rounds, Node ${process.version}, whole process (spawn to exit):`,
    '',
    '| command | median ms | vs `node -e 0` |',
    '|---|---:|---:|',
    ...contenders.map((c) => {
      const ms = median(t.get(c.name)!.wallMs);
      return `| ${c.name} | ${ms.toFixed(0)} | ${(ms / base).toFixed(2)}x |`;
    }),
  ].join('\n'));
} finally {
  rmSync(cache, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
  rmSync(full, { recursive: true, force: true });
}
