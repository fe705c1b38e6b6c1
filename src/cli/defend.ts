// `synguard run`, `synguard off` and `synguard harden`: the defender and its kernel state. Registering them loads no
// daemon, store or kernel code (`synguard --help` registers every command): each action imports what it runs.
import { Option, type Command } from 'commander';
import type { Config } from '../config/schema.js';
import { SynguardError } from '../core/errors.js';
import { readConfig } from '../config/read.js';
import type { LogFormat } from '../core/log.js';
import { openState, withStateOptions, type StateOptions } from './state-dir.js';

/** `harden --check`: what --apply would change, and the listeners whose own backlog no sysctl can fix. */
async function hardenCheck(config: Config, json: boolean): Promise<void> {
  const [{ hardeningPlan }, { takeSample }, { buildSnapshot }, { configNotes }] = await Promise.all([
    import('../ops/hardening.js'), import('../observe/sample.js'), import('../detect/snapshot.js'), import('../detect/notes.js'),
  ]);
  const plan = hardeningPlan(config.defender.hardening);
  const snapshot = buildSnapshot(await takeSample(), config.prefixes);
  const small = configNotes(snapshot, config.detection).filter((note) => note.subject.startsWith('listener '));
  if (json) {
    const listeners = small.map((n) => ({ subject: n.subject, message: n.message }));
    process.stdout.write(`${JSON.stringify({ changes: plan.map((c) => ({ name: c.name, from: c.from, to: c.to })), listeners }, null, 2)}\n`);
    return;
  }
  process.stdout.write(plan.length ? `--apply would change:\n  ${plan.map((c) => `${c.name} ${c.from} -> ${c.to}`).join('\n  ')}\n` : 'already hardened: nothing to change\n');
  for (const note of small) process.stdout.write(`${note.subject}: ${note.message}\n`);
}

export function registerDefend(program: Command): void {
  withStateOptions(program.command('run'))
    .description('run the defender: detect, decide, ban at the kernel\'s front door, harden, remember')
    .option('--dry-run', 'log the decisions; store and enforce nothing (the kernel meter only counts)')
    .addOption(new Option('--log-format <format>', 'json: one JSON object per line; text: one readable line per event (default: text on a terminal, json otherwise)').choices(['json', 'text']))
    .addHelpText('after', `
First line, in the kernel (nftables backend; detection.synRate): SYNs are counted per source and per /24 and /64,
and a source sending more than 50 SYN/s that never complete a handshake is dropped at once, for 60 s, with or
without the daemon. Sources that completed handshakes lately (proxies, NATs, busy clients) get 1,000 SYN/s and are
never dropped for their rate. The daemon turns each kernel drop into a ban (origin kernel) within a tick.

Each tick (defender.interval, 1 s; 0.2 s while a source climbs towards a threshold) it reads the socket table,
the SYN counters and the meter, names the flood, and:
  - bans the few real sources of a SYN flood or connection flood (nftables sets with kernel timeouts,
    one transaction per tick; their established sockets are destroyed),
  - never mass-bans a spoofed flood: it raises SYN defences (cookies, backlogs, shorter SYN-ACK retries)
    and restores the original sysctls once calm,
  - never bans loopback, this host's addresses, the default gateways, current SSH peers or defender.allowList.
Decisions are stored in SQLite under the state directory before they are applied, and re-applied at start.
Logs: one line per decision and state change on stdout: readable text on a terminal, JSON lines otherwise
(journald, pipes; --log-format to choose). SIGHUP reloads the config; SIGTERM stops.`)
    .action(async (opts: StateOptions & { dryRun?: boolean; logFormat?: LogFormat }) => {
      const [{ runDaemon }, { logFor }] = await Promise.all([import('../daemon/run.js'), import('../core/log.js')]);
      await runDaemon({ ...(opts.config ? { configPath: opts.config } : {}), ...(opts.stateDir ? { stateDir: opts.stateDir } : {}), dryRun: opts.dryRun === true }, logFor(opts.logFormat));
    });

  withStateOptions(program.command('off'))
    .description('remove every trace of synguard from the kernel (table, sets, routes), restore the sysctls, end the active bans')
    .action(async (opts: StateOptions) => {
      const [{ assertLinux }, { off }] = await Promise.all([import('../observe/sample.js'), import('../ops/off.js')]);
      assertLinux();
      const { stateDir, store } = await openState(opts);
      try {
        process.stdout.write(`${(await off(store, stateDir, Date.now())).join('\n')}\n`);
      } finally {
        store.close();
      }
    });

  withStateOptions(program.command('harden'))
    .description('check, apply or restore the SYN-flood sysctls of this network namespace')
    .option('--check', 'show what --apply would change (the default)')
    .option('--apply', 'record the original values, then apply')
    .option('--restore', 'write the recorded originals back')
    .option('--json', 'with --check: print {changes: [{name, from, to}], listeners: [{subject, message}]}')
    .addHelpText('after', `
--apply sets net.ipv4.tcp_syncookies=1 (never 0), raises tcp_max_syn_backlog and net.core.somaxconn, and lowers
tcp_synack_retries (defender.hardening). net.ipv4.tcp_syn_retries is left alone: it governs outgoing connects only.
--check reads the kernel only: it creates no state directory and no database.

Examples:
  synguard harden --check          what --apply would change, and listeners with a small backlog
  synguard harden --check --json
  synguard harden --apply          (root) record the originals, then raise the defences; --restore undoes it`)
    .action(async (opts: StateOptions & { check?: boolean; apply?: boolean; restore?: boolean; json?: boolean }) => {
      const { assertLinux } = await import('../observe/sample.js');
      assertLinux();
      if ([opts.check, opts.apply, opts.restore].filter(Boolean).length > 1) throw new SynguardError('usage', 'choose one of --check, --apply, --restore');
      if (!opts.apply && !opts.restore) {
        await hardenCheck(await readConfig(opts.config), opts.json === true); // reads the kernel only: no store, nothing created
        return;
      }
      const { applyHardening, restoreHardening } = await import('../ops/hardening.js');
      const { config, store } = await openState(opts);
      try {
        if (opts.apply) {
          const changes = await applyHardening(store, config.defender.hardening, Date.now());
          process.stdout.write(changes.length ? `applied:\n  ${changes.join('\n  ')}\n` : 'nothing to change: already hardened\n');
        } else if (opts.restore) {
          const changes = await restoreHardening(store);
          process.stdout.write(changes.length ? `restored:\n  ${changes.join('\n  ')}\n` : 'nothing recorded to restore\n');
        }
      } finally {
        store.close();
      }
    });
}
