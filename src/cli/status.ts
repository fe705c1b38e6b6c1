// `synguard status`: one look (or a live view) at connections, listeners, SYN counters and the verdict.
import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../config/read.js';
import { buildReport } from '../detect/report.js';
import { buildSnapshot, type Snapshot } from '../detect/snapshot.js';
import { meterFindings } from '../detect/syn-senders.js';
import { NftMeter } from '../enforce/nft-meter.js';
import type { MeterSample } from '../observe/meter.js';
import { assertLinux, takeSample } from '../observe/sample.js';
import { positiveInt, seconds } from './options.js';
import { renderStatus } from './status-view.js';
import { daemonInfo, daemonLine } from './daemon-info.js';

interface StatusOptions {
  json?: boolean;
  watch?: number | true;
  top: number;
  interval: number;
  config?: string;
  stateDir?: string;
}

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
  /proc/net/tcp{,6}         every socket: state, local and remote endpoint
  ss -ltnH                  each listener's backlog cap (Send-Q) and accept queue (Recv-Q)
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
      assertLinux();
      const config = await readConfig(opts.config);
      const watch = opts.watch === true ? 2 : opts.watch;
      const meter = new NftMeter();
      // Read-only and best effort: no nft, no permission or no meter installed all mean no kernel view.
      const readMeter = (): Promise<MeterSample | null> => (watch === undefined && opts.interval === 0 ? meter.readOnce(Date.now(), config.prefixes) : meter.read(Date.now(), config.prefixes)).catch(() => null);
      const once = async (): Promise<string> => {
        let prev: Snapshot | undefined;
        let meterBefore: MeterSample | null = null;
        if (opts.interval > 0) {
          prev = buildSnapshot(await takeSample({ light: true }), config.prefixes);
          meterBefore = await readMeter();
          await sleep(opts.interval * 1000);
        }
        const [sample, meterNow, daemon] = await Promise.all([ // ss and nft run side by side
          takeSample(), readMeter(), daemonInfo(opts.stateDir ?? config.defender.stateDir, config.defender.dryRun ? 'dry-run' : config.defender.backend, Date.now()),
        ]);
        const cur = buildSnapshot(sample, config.prefixes);
        // The proven limit is in force only while the daemon has an attack open: calm, no client is held to it.
        const limits = daemon.attack === null ? { ...config.detection.synRate, proven: undefined } : config.detection.synRate;
        const senders = meterNow ? meterFindings(meterBefore, meterNow, limits).senders : [];
        const report = buildReport(prev, cur, config.detection, opts.top, senders);
        return opts.json ? `${JSON.stringify({ ...report, daemon }, null, watch === undefined ? 2 : 0)}\n` : `${daemonLine(daemon, config.defender.interval)}\n${renderStatus(report)}`;
      };
      if (watch === undefined) {
        process.stdout.write(await once());
        meter.close();
        return;
      }
      // One controller for the whole watch: Ctrl-C or SIGTERM ends the current wait and the loop, exit code 0.
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        while (!stop.signal.aborted) {
          const started = Date.now();
          const text = await once();
          if (stop.signal.aborted) break;
          process.stdout.write(opts.json ? text : `\x1b[H\x1b[2J${new Date().toLocaleTimeString()}  synguard status (every ${watch} s, Ctrl-C to quit)\n\n${text}`);
          const wait = Math.max(0, watch * 1000 - (Date.now() - started));
          await sleep(wait, undefined, { signal: stop.signal }).catch(() => undefined);
        }
      } finally {
        meter.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
