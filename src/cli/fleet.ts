// `synguard fleet status [--json]`: the push queue, the last pull and its error, the bouncers served (docs/fleet.md).
import type { Command } from 'commander';
import type { StateOptions } from './state-dir.js';

/** --state-dir and --config, as withStateOptions (state-dir.ts) adds them; declared here so that registering the
 * command loads no store or config module (they load inside the action). */
export const withState = (cmd: Command): Command => cmd
  .option('--state-dir <dir>', 'state directory (default: defender.stateDir from the config, /var/lib/synguard)')
  .option('-c, --config <file>', 'config file (default /etc/synguard/config.yaml if it exists)');

export function registerFleet(program: Command): void {
  const fleet = program.command('fleet').description('the CrowdSec fleet: publish bans to a Local API, enforce its decisions, serve bouncers');
  withState(fleet.command('status'))
    .description('show the push queue, the last pull and its error, and the bouncers served')
    .option('--json', 'print one JSON object')
    .addHelpText('after', `
push: decisions waiting for the LAPI (pending, in flight), sent, and the last error (the daemon retries with back-off).
pull: when the LAPI's decisions were last read, how many are held, and the last error.
bouncers: the keys served GET /v1/decisions/stream, with their last pull.`)
    .action(async (opts: StateOptions & { json?: boolean }) => {
      const { fleetStatus, renderFleetStatus } = await import('../fleet/status.js');
      const { loadConfig } = await import('../config/load.js');
      const config = loadConfig(opts.config);
      const status = fleetStatus(config, opts.stateDir ?? config.defender.stateDir);
      process.stdout.write(opts.json ? `${JSON.stringify(status)}\n` : renderFleetStatus(status));
    });
}
