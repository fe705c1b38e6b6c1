// `synguard fleet status [--json]`: the push queue, the last pull and its error, the bouncers served (docs/fleet.md).
import type { Command } from 'commander';
import { withStateOptions, type StateOptions } from './state-dir.js';

export function registerFleet(program: Command): void {
  const fleet = program.command('fleet').description('the CrowdSec fleet: publish bans to a Local API, enforce its decisions, serve bouncers');
  withStateOptions(fleet.command('status'))
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
