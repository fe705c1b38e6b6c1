// `synguard ban` and `synguard unban`: through a running daemon's HTTP API (it stores the change and applies it at
// once); with a daemon whose API is off or out of reach, through the store (the daemon applies it within one tick);
// with no daemon, through the store and then the kernel at once. The output is the same on every path.
import type { Command } from 'commander';
import { SynguardError } from '../core/errors.js';
import { withStateOptions, type StateOptions } from './state-dir.js';

const note = (line: string): void => { process.stderr.write(`synguard: note: ${line}\n`); };
const warn = (line: string): void => { process.stderr.write(`synguard: warning: ${line}\n`); };
const RUNNING_BAN = 'the running daemon applies it within one tick';
const RUNNING_UNBAN = 'the running daemon lifts it within one tick';
const noActiveBan = (value: string) => new SynguardError('input', `no active ban on ${value} (synguard bans lists them)`);

/** What both commands run, imported when one of them runs (registering them for --help loads none of it). */
async function modules() {
  const [config, decide, apply, bans, allow, pidfile, sample, api, store] = await Promise.all([
    import('../config/load.js'), import('../decide/index.js'), import('../ops/apply.js'), import('../ops/bans.js'), import('../ops/allow.js'),
    import('../store/pidfile.js'), import('../observe/sample.js'), import('./api-client.js'), import('../store/index.js'),
  ]);
  return { ...config, ...decide, ...apply, ...bans, ...allow, ...pidfile, ...sample, ...api, ...store };
}

export function registerBan(program: Command): void {
  withStateOptions(program.command('ban'))
    .argument('<address>', 'ADDR or ADDR/LEN, IPv4 or IPv6 (e.g. 203.0.113.7, 198.51.100.0/24, 2001:db8:1::/64)')
    .description('ban an address or prefix by hand (stored, then applied to the kernel)')
    .option('--for <duration>', 'how long, e.g. 30s, 10m, 2h, 7d (default: defender.bans.manual, 24h)')
    .option('--reason <text>', 'why, for the history')
    .addHelpText('after', `
With a daemon running on this state directory, the ban goes through its HTTP API (http.listen, token from
<stateDir>/api-token) and the daemon applies it at once; if that API is off or out of reach, through the store
(a note says so) and the daemon applies it within one tick. With no daemon, it is applied to the kernel now.`)
    .action(async (target: string, opts: StateOptions & { for?: string; reason?: string }) => {
      const { assertLinux, loadConfig, manualUnbanValue, connectDaemon, openStore, currentAllowList, banByHand, runningDaemon, applyNow } = await modules();
      assertLinux();
      const config = loadConfig(opts.config);
      const stateDir = opts.stateDir ?? config.defender.stateDir;
      manualUnbanValue(target); // a malformed address fails here, the same way on every path
      const api = await connectDaemon(stateDir, config, note);
      if (api) {
        const ban = await api.ban({ value: target, ...(opts.for ? { for: opts.for } : {}), ...(opts.reason ? { reason: opts.reason } : {}) });
        process.stdout.write(`banned ${ban.value} until ${new Date(ban.until).toISOString()}: ${RUNNING_BAN}\n`);
        return;
      }
      const store = openStore(stateDir);
      try {
        const allow = await currentAllowList(config, warn);
        const decision = banByHand({ store, config, allow, now: Date.now() }, { target, for: opts.for, reason: opts.reason });
        const until = new Date(decision.until).toISOString();
        const how = runningDaemon(stateDir) !== null
          ? RUNNING_BAN
          : await applyNow(config, { add: { value: decision.value, family: decision.value.includes(':') ? 6 : 4, until: decision.until } }, warn);
        process.stdout.write(`banned ${decision.value} until ${until}: ${how}\n`);
      } finally {
        store.close();
      }
    });

  withStateOptions(program.command('unban'))
    .argument('<address>', 'ADDR or ADDR/LEN exactly as banned (see synguard bans)')
    .description('lift a ban (in the store and the kernel)')
    .action(async (target: string, opts: StateOptions) => {
      const { assertLinux, loadConfig, manualUnbanValue, connectDaemon, ApiError, openStore, unbanByHand, runningDaemon, applyNow } = await modules();
      assertLinux();
      const config = loadConfig(opts.config);
      const stateDir = opts.stateDir ?? config.defender.stateDir;
      const value = manualUnbanValue(target);
      const api = await connectDaemon(stateDir, config, note);
      if (api) {
        await api.unban(value).catch((err: unknown) => {
          throw err instanceof ApiError && err.status === 404 ? noActiveBan(value) : err;
        });
        process.stdout.write(`unbanned ${value}: ${RUNNING_UNBAN}\n`);
        return;
      }
      const store = openStore(stateDir);
      try {
        if (unbanByHand({ store, now: Date.now() }, value, 'cli').length === 0) throw noActiveBan(value);
        const how = runningDaemon(stateDir) !== null ? RUNNING_UNBAN : await applyNow(config, { remove: value }, warn);
        process.stdout.write(`unbanned ${value}: ${how}\n`);
      } finally {
        store.close();
      }
    });
}
