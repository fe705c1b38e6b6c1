// `synguard bans`: from a running daemon's HTTP API, or the store when there is none (or its API is out of reach);
// `synguard bans show ADDR`: why it is banned (explain.ts); `synguard history [--address ADDR]`: from the store.
// The list is the same either way. None of them creates the state directory or a database.
import { once } from 'node:events';
import type { Command } from 'commander';
import { readConfig } from '../config/read.js';
import { connectDaemon, type ApiBan } from './api-client.js';
import { toNet } from '../decide/cidr-math.js';
import { covers, decisionJson, explain, explanationJson, renderExplanation } from './explain.js';
import { positiveInt } from './options.js';
import { readState, withStateOptions, type StateOptions } from './state-dir.js';
import { iso, left } from './when.js';
import { streamedBans } from '../ops/listed-bans.js';
import { writeBansJson, type BanView } from './ban-json.js';

const fromApi = (b: ApiBan): BanView => ({
  value: b.value, scope: b.scope, reason: b.reason, origin: b.origin, until: Date.parse(b.until), createdAt: Date.parse(b.createdAt),
  offence: b.offence, evidence: b.evidence, dryRun: b.dryRun === true,
});

/**
 * The active bans, then a dry run's: from the daemon's API when one answers, else streamed from the store a page at
 * a time (100k bans are written out as they are read). `done` closes the store once the list has been walked.
 */
async function activeBans(opts: StateOptions): Promise<{ bans: Iterable<BanView>; done: () => void }> {
  const config = await readConfig(opts.config);
  const stateDir = opts.stateDir ?? config.defender.stateDir;
  const api = await connectDaemon(stateDir, config, (line) => process.stderr.write(`synguard: note: ${line}\n`));
  if (api) return { bans: (await api.bans()).map(fromApi), done: () => {} };
  const { store } = await readState(opts);
  if (!store) return { bans: [], done: () => {} };
  return { bans: streamedBans(store, Date.now()), done: () => store.close() };
}

export function registerBans(program: Command): void {
  const bans = withStateOptions(program.command('bans'))
    .description('list the active bans (from the running daemon\'s API, or from the store when no daemon runs)')
    .option('--json', 'print a JSON array of {value, scope, reason, origin, until, dryRun, ...}, one ban per line')
    .addHelpText('after', '\nWhy one address is banned: synguard bans show ADDR|CIDR [--json]')
    .action(async (opts: StateOptions & { json?: boolean }) => {
      const { bans: active, done } = await activeBans(opts);
      const now = Date.now();
      // Waits for a pipe's reader: otherwise the whole list would queue in memory behind it (330 MB for 100k bans).
      const write = (text: string) => (process.stdout.write(text) ? undefined : once(process.stdout, 'drain').then(() => undefined));
      try {
        if (opts.json) {
          await writeBansJson(active, write);
          return;
        }
        let real = 0;
        let dry = 0;
        let lines = '';
        for (const d of active) {
          if (d.dryRun) dry++;
          else real++;
          lines += `${d.value.padEnd(24)} ${d.origin.padEnd(8)} ${left(d.until, now).padStart(7)} left  ${d.dryRun ? '[dry run, not enforced] ' : ''}${d.reason}\n`;
          if (lines.length >= 65_536) {
            await write(lines);
            lines = '';
          }
        }
        await write(lines);
        if (real + dry === 0) {
          await write('no active bans\n');
          return;
        }
        await write(`${real} active ban${real === 1 ? '' : 's'}${dry > 0 ? `, ${dry} dry-run decision${dry === 1 ? '' : 's'} (not enforced)` : ''}\n`);
      } finally {
        done();
      }
    });

  withStateOptions(bans.command('show'))
    .argument('<address>', 'an address or CIDR, e.g. 198.51.100.7 or 203.0.113.0/24')
    .description('why an address is banned: the decision in force on it or on a prefix covering it, its reason, evidence, origin, offence number and end, its earlier offences (from the store), and whether the allow-list covers it')
    .option('--json', 'print {target, banned, inForce, earlier, allowListed} as JSON')
    .addHelpText('after', `
Examples:
  synguard bans show 198.51.100.7          the ban on it (or on 198.51.100.0/24), and its past offences
  synguard bans show 2001:db8::5 --json`)
    .action(async (address: string, opts: StateOptions & { json?: boolean }) => {
      const all = { ...bans.opts<StateOptions & { json?: boolean }>(), ...opts }; // --json and --state-dir may land on the parent
      const target = toNet(address).text; // a bad address is a one-line input error, before anything is read
      const { config, store } = await readState(all);
      const now = Date.now();
      const decisions = store?.decisions.history() ?? [];
      store?.close();
      const { currentAllowList } = await import('../ops/allow.js');
      const allow = await currentAllowList(config, (line) => process.stderr.write(`synguard: warning: ${line}\n`));
      const e = explain(target, decisions, now, allow.match(target) ?? null);
      process.stdout.write(all.json ? `${JSON.stringify(explanationJson(e, now), null, 2)}\n` : renderExplanation(e, now));
    });

  withStateOptions(program.command('history'))
    .description('list past decisions and attacks, newest first (--address: only the decisions that covered it)')
    .option('--json', 'print {decisions, attacks} as JSON')
    .option('--limit <n>', 'how many of each (1 to 100000)', positiveInt('--limit', 100_000), 50)
    .option('--address <addr>', 'only the decisions on this address or CIDR, or on a prefix covering it')
    .addHelpText('after', `
Examples:
  synguard history --limit 10
  synguard history --address 198.51.100.7 --json   every ban that covered it, newest first`)
    .action(async (opts: StateOptions & { json?: boolean; limit: number; address?: string }) => {
      const target = opts.address === undefined ? undefined : toNet(opts.address).text;
      const { store } = await readState(opts);
      const all = target === undefined ? (store?.decisions.history({ limit: opts.limit }) ?? []) : (store?.decisions.history() ?? []);
      const decisions = target === undefined ? all : all.filter((d) => covers(d, target)).slice(0, opts.limit);
      const attacks = store?.events.list({ limit: opts.limit }) ?? [];
      store?.close();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({
          decisions: decisions.map(decisionJson),
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
        process.stdout.write(`  ${iso(d.createdAt)}  ban ${d.value} (${d.origin}, offence ${d.offence}${d.dryRun ? ', dry run' : ''}) ${end}: ${d.reason}\n`);
      }
      if (decisions.length === 0) process.stdout.write('  none\n');
    });
}
