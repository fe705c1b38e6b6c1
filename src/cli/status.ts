// `synguard status`: one look (or a live view) at connections, listeners, SYN counters and the verdict. The command
// and its help are defined here; what it runs is in status-run.ts, imported when it runs (`--help` loads none of it).
import type { Command } from 'commander';
import { positiveInt, seconds } from './options.js';
import type { StatusOptions } from './status-run.js';
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show connections by state and source, listener SYN queues, SYN-cookie counters, sysctls and a verdict')
    .option('--json', 'print one JSON object (with --watch: one per line)')
    .option('--watch [seconds]', 'redraw every SECONDS (default 2) until interrupted', seconds('--watch'))
    .option('--top <n>', 'how many sources and prefixes to list', positiveInt('--top', 10_000), 10)
    .option('--interval <seconds>', 'gap between the two samples behind the rates; 0 takes one sample and leaves rates null', seconds('--interval', 3600), 1)
    .option('-c, --config <file>', 'config file (default /etc/synguard/config.yaml if it exists)')
    .option('--state-dir <dir>', 'the daemon\'s state directory, for the daemon line (default: defender.stateDir, /var/lib/synguard)')
    .addHelpText('after', `
The first line is the daemon's: running or not (pid file in the state directory), uptime, backend, active bans,
and the sysctls it holds raised (their originals recorded for restoring).

What it reads (all in the current network namespace; run it with "ip netns exec NS" for another):
  ss -tan -D -              every socket: state, local and remote endpoint, from the kernel's
                            binary dump (inet_diag); /proc/net/tcp{,6} when ss fails
  ss -tnH state listening   each listener's backlog cap (Send-Q) and accept queue (Recv-Q)
  /proc/net/{netstat,snmp}  SYN-cookie, drop and open counters, as rates between two samples
  /proc/sys/net/...         tcp_syncookies, tcp_max_syn_backlog, tcp_synack_retries, somaxconn, ...
  nft (table inet synguard) the kernel SYN-rate meter's small sets, when \`synguard run\` installed it: the top SYN
                            senders by packet rate, sources SYN cookies hide from the socket table included

Verdicts: none, syn-flood (few sources: named), spoofed-syn-flood (many forged sources: harden, do not ban),
cookies-coping, connection-flood (completed handshakes held by few sources), weak-config.

Examples:
  synguard status                     one look, rates over 1 s
  synguard status --watch 2 --top 20  live view
  synguard status --json --interval 0 one sample, no rates, for scripts`)
    .action(async (opts: StatusOptions) => {
      await (await import('./status-run.js')).runStatus(opts);
    });
}
