// `synguard bans`: from a running daemon's HTTP API, or the store when there is none (or its API is out of reach);
// `synguard history`: from the store. The output is the same either way.
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { DecisionRecord } from '../store/index.js';
import { connectDaemon, type ApiBan } from './api-client.js';
import { positiveInt } from './options.js';
import { readState, withStateOptions, type StateOptions } from './state-dir.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function left(until: number, now: number): string {
  const s = Math.max(0, Math.round((until - now) / 1000));
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
  if (s >= 3600) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/** What `bans` shows of a ban: the store's record, or the API's with its times read back. */
type BanView = Pick<DecisionRecord, 'value' | 'scope' | 'reason' | 'origin' | 'until' | 'createdAt' | 'offence' | 'evidence'>;

const fromApi = (b: ApiBan): BanView => ({
  value: b.value, scope: b.scope, reason: b.reason, origin: b.origin, until: Date.parse(b.until), createdAt: Date.parse(b.createdAt),
  offence: b.offence, evidence: b.evidence,
});

async function activeBans(opts: StateOptions): Promise<BanView[]> {
  const config = loadConfig(opts.config);
  const stateDir = opts.stateDir ?? config.defender.stateDir;
  const api = await connectDaemon(stateDir, config, (line) => process.stderr.write(`synguard: note: ${line}\n`));
  if (api) return (await api.bans()).map(fromApi);
  const { store } = readState(opts);
  if (!store) return [];
  try {
    return store.decisions.active(Date.now());
  } finally {
    store.close();
  }
}

function banJson(d: BanView) {
  return { value: d.value, scope: d.scope, reason: d.reason, origin: d.origin, until: iso(d.until), createdAt: iso(d.createdAt), offence: d.offence, evidence: d.evidence };
}

export function registerBans(program: Command): void {
  withStateOptions(program.command('bans'))
    .description('list the active bans (from the running daemon\'s API, or from the store when no daemon runs)')
    .option('--json', 'print a JSON array of {value, scope, reason, origin, until, ...}')
    .action(async (opts: StateOptions & { json?: boolean }) => {
      const active = await activeBans(opts);
      const now = Date.now();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(active.map(banJson), null, 2)}\n`);
        return;
      }
      if (active.length === 0) {
        process.stdout.write('no active bans\n');
        return;
      }
      for (const d of active) {
        process.stdout.write(`${d.value.padEnd(24)} ${d.origin.padEnd(6)} ${left(d.until, now).padStart(7)} left  ${d.reason}\n`);
      }
      process.stdout.write(`${active.length} active ban${active.length === 1 ? '' : 's'}\n`);
    });

  withStateOptions(program.command('history'))
    .description('list past decisions and attacks, newest first')
    .option('--json', 'print {decisions, attacks} as JSON')
    .option('--limit <n>', 'how many of each (1 to 100000)', positiveInt('--limit', 100_000), 50)
    .action((opts: StateOptions & { json?: boolean; limit: number }) => {
      const { store } = readState(opts);
      const decisions = store?.decisions.history({ limit: opts.limit }) ?? [];
      const attacks = store?.events.list({ limit: opts.limit }) ?? [];
      store?.close();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({
          decisions: decisions.map((d) => ({ ...banJson(d), endedAt: d.endedAt === null ? null : iso(d.endedAt), endedBy: d.endedBy, endKind: d.endKind })),
          attacks: attacks.map((a) => ({ kind: a.kind, summary: a.summary, startedAt: iso(a.startedAt), endedAt: a.endedAt === null ? null : iso(a.endedAt), detail: a.detail })),
        }, null, 2)}\n`);
        return;
      }
      process.stdout.write('Attacks\n');
      for (const a of attacks) process.stdout.write(`  ${iso(a.startedAt)} → ${a.endedAt === null ? 'ongoing' : iso(a.endedAt)}  ${a.kind}: ${a.summary}\n`);
      if (attacks.length === 0) process.stdout.write('  none\n');
      process.stdout.write('Decisions\n');
      for (const d of decisions) {
        const end = d.endedAt !== null ? `ended ${iso(d.endedAt)} by ${d.endedBy ?? '?'}` : `until ${iso(d.until)}`;
        process.stdout.write(`  ${iso(d.createdAt)}  ban ${d.value} (${d.origin}, offence ${d.offence}) ${end}: ${d.reason}\n`);
      }
      if (decisions.length === 0) process.stdout.write('  none\n');
    });
}
