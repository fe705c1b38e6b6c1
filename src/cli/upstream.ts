// `synguard upstream status|announce|withdraw`: the upstream announcements in the store. The running daemon sends
// what the store says within one tick (announce) and withdraws what was ended (withdraw).
import type { Command } from 'commander';
import { parseDuration } from '../config/duration-text.js';
import { SynguardError } from '../core/errors.js';
import type { Config } from '../config/schema.js';
import type { Store } from '../store/index.js';
import { hostPrefix, insideOwnNetworks, KINDS, wireKey, type AnnouncementKind } from '../upstream/announcement.js';
import { announcementJson, upstreamView } from '../upstream/view.js';
import { openState, readState, withStateOptions, type StateOptions } from './state-dir.js';
import { isoShort as iso } from '../core/format.js';


function line(r: { id: number; kind: string; prefix: string; port: number | null; origin: string; until: number; reason: string }): string {
  const port = r.port === null ? '' : ` port ${r.port}`;
  return `#${r.id} ${r.kind.padEnd(19)} ${`${r.prefix}${port}`.padEnd(32)} ${r.origin.padEnd(6)} until ${iso(r.until)}  ${r.reason}\n`;
}

async function withState<T>(opts: StateOptions, fn: (s: Awaited<ReturnType<typeof openState>>) => T): Promise<T> {
  const state = await openState(opts);
  try {
    return fn(state);
  } finally {
    state.store.close();
  }
}

function findOpen(store: Store, target: string): ReturnType<Store['announcements']['open']> {
  const open = store.announcements.open();
  if (/^\d+$/.test(target)) return open.filter((r) => r.id === Number(target));
  const prefix = hostPrefix(target.replace(/\/(32|128)$/, ''));
  if (prefix === null) throw new SynguardError('input', `"${target}" is neither an announcement id nor an IP address (e.g. 7, 198.51.100.7)`);
  return open.filter((r) => r.prefix === prefix);
}

/** `upstream status`: the config's upstream settings and the store's announcements (none when there is no store). */
function upstreamStatus(config: Config, store: Store | null, json: boolean): void {
  const now = Date.now();
  const view = upstreamView(config, store, now, null);
  if (json) {
    process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    return;
  }
  process.stdout.write(`upstream ${config.upstream.enabled ? 'enabled' : 'disabled'}${config.upstream.dryRun ? ' (dry-run)' : ''}` +
    `${config.upstream.bgp.peer ? `, peer ${config.upstream.bgp.peer}` : ''}; own networks: ${config.upstream.ownNetworks.join(', ') || 'none'}\n`);
  const open = (store?.announcements.open() ?? []).filter((r) => r.until > now);
  if (open.length === 0) process.stdout.write('no open announcements\n');
  for (const r of open) process.stdout.write(line(r));
}

export function registerUpstream(program: Command): void {
  const up = program.command('upstream').description('FlowSpec and RTBH announcements to the provider over BGP (docs/upstream.md)');

  withStateOptions(up.command('status'))
    .description('show the open announcements and the recent ones (from the store)')
    .option('--json', 'print {enabled, dryRun, ownNetworks, steps, peer, announcements, recent}')
    .action(async (opts: StateOptions & { json?: boolean }) => {
      const { config, store } = await readState(opts);
      try {
        upstreamStatus(config, store, opts.json === true);
      } finally {
        store?.close();
      }
    });

  withStateOptions(up.command('announce'))
    .argument('<address>', 'the attacked address, IPv4 or IPv6, inside upstream.ownNetworks (announced as /32 or /128)')
    .description('announce a FlowSpec rule or an RTBH route by hand (stored; the daemon sends it within one tick)')
    .option('--kind <kind>', `one of ${KINDS.join(', ')}`, 'flowspec-discard')
    .option('--port <port>', 'FlowSpec: the attacked TCP port (default: any port)')
    .option('--for <duration>', 'how long, e.g. 10m, 1h (default: the step\'s maxDuration)')
    .option('--reason <text>', 'why, for the history', 'manual')
    .option('--json', 'print the stored announcement as JSON')
    .addHelpText('after', `
Only addresses inside upstream.ownNetworks are ever announced; rtbh needs upstream.steps.rtbh.enabled.
Examples:
  synguard upstream announce 203.0.113.7 --port 443 --for 30m
  synguard upstream announce 203.0.113.7 --kind rtbh --for 10m`)
    .action((address: string, opts: StateOptions & { kind: string; port?: string; for?: string; reason: string; json?: boolean }) => withState(opts, ({ config, store }) => {
      const cfg = config.upstream;
      if (!cfg.enabled) throw new SynguardError('config', 'upstream is disabled: set upstream.enabled (docs/upstream.md)');
      if (!(KINDS as readonly string[]).includes(opts.kind)) throw new SynguardError('usage', `--kind must be one of ${KINDS.join(', ')}, got "${opts.kind}"`);
      const kind = opts.kind as AnnouncementKind;
      if (kind === 'rtbh' && !cfg.steps.rtbh.enabled) throw new SynguardError('config', 'RTBH is not enabled: set upstream.steps.rtbh.enabled');
      const prefix = hostPrefix(address);
      if (prefix === null) throw new SynguardError('input', `"${address}" is not an IP address (e.g. 203.0.113.7 or 2001:db8::7)`);
      if (!insideOwnNetworks(prefix, cfg.ownNetworks)) throw new SynguardError('input', `${prefix} is outside upstream.ownNetworks (${cfg.ownNetworks.join(', ')}): never announced`);
      const port = opts.port === undefined || kind === 'rtbh' ? null : Number(opts.port);
      if (port !== null && !(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new SynguardError('usage', `--port must be 1-65535, got "${opts.port ?? ''}"`);
      const step = kind === 'rtbh' ? cfg.steps.rtbh : kind === 'flowspec-discard' ? cfg.steps.discard : cfg.steps.rateLimit;
      const ms = opts.for === undefined ? step.maxDuration : parseDuration(opts.for);
      if (ms === null) throw new SynguardError('usage', `--for expects a duration such as 30s, 10m, 1h, got "${opts.for ?? ''}"`);
      const now = Date.now();
      const spec = { kind, prefix, port, bytesPerSecond: kind === 'flowspec-rate-limit' ? cfg.steps.rateLimit.bytesPerSecond : null };
      const record = store.transaction(() => {
        for (const r of store.announcements.open()) {
          if (wireKey(r) !== wireKey(spec)) continue;
          if (r.kind === kind) throw new SynguardError('input', `already announced: #${r.id} ${r.kind} ${r.prefix} until ${iso(r.until)}`);
          store.announcements.end(r.id, now, 'cli', 'superseded'); // one FlowSpec NLRI: the new action replaces the old
        }
        return store.announcements.add({ ...spec, reason: opts.reason, evidence: [], origin: 'manual', createdAt: now, until: now + ms });
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(announcementJson(record), null, 2)}\n`);
      else process.stdout.write(`stored ${line(record).trimEnd()}\nthe running daemon announces it within one tick\n`);
    }));

  withStateOptions(up.command('withdraw'))
    .argument('<target>', 'an announcement id (#7 in status) or the announced address')
    .description('withdraw open announcements (the daemon withdraws them within one tick)')
    .option('--json', 'print the withdrawn announcements as JSON')
    .action((target: string, opts: StateOptions & { json?: boolean }) => withState(opts, ({ store }) => {
      const now = Date.now();
      const found = findOpen(store, target.replace(/^#/, ''));
      if (found.length === 0) throw new SynguardError('input', `no open announcement matches "${target}" (synguard upstream status lists them)`);
      for (const r of found) store.announcements.end(r.id, now, 'cli', 'withdrawn');
      if (opts.json) process.stdout.write(`${JSON.stringify(found.map(announcementJson), null, 2)}\n`);
      else for (const r of found) process.stdout.write(`withdrawn ${line(r).trimEnd()}\n`);
    }));
  for (const cmd of up.commands) cmd.exitOverride().showHelpAfterError(true);
}
