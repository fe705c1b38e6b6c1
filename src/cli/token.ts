// `synguard token`: prints the HTTP API's bearer token from the state directory; `--rotate` makes a new one.
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { SynguardError } from '../core/errors.js';
import { runningDaemon } from '../store/pidfile.js';
import { existingToken, rotateToken, tokenPath } from '../http/token.js';
import { withStateOptions, type StateOptions } from './state-dir.js';

export function registerToken(program: Command): void {
  withStateOptions(program.command('token'))
    .description('print the HTTP API token (needed to ban and unban through the API); --rotate makes a new one')
    .option('--rotate', 'replace the token with a new one; a running daemon is told at once (SIGHUP)')
    .option('--json', 'print {token, path}')
    .addHelpText('after', `
The daemon makes the token at its first start: 32 random bytes in <stateDir>/api-token, mode 0600.
  curl -H "Authorization: Bearer $(synguard token)" ...
The daemon reads the file at start and on SIGHUP (with the config). --rotate writes a new token and sends the
running daemon SIGHUP, so the old token is refused from its next tick.`)
    .action((opts: StateOptions & { rotate?: boolean; json?: boolean }) => {
      const stateDir = opts.stateDir ?? loadConfig(opts.config).defender.stateDir;
      const path = tokenPath(stateDir);
      let token: string | null;
      if (opts.rotate) {
        token = rotateToken(stateDir);
        const pid = runningDaemon(stateDir);
        if (pid !== null) {
          process.kill(pid, 'SIGHUP'); // the daemon re-reads the token (and the config) before its next tick
          process.stderr.write(`synguard: the running daemon (pid ${pid}) was told to reload (SIGHUP): the new token works within one tick, the old one no longer\n`);
        }
      } else {
        token = existingToken(stateDir);
        if (token === null) {
          throw new SynguardError('usage', `no API token yet in ${path}: the daemon makes one at its first start (synguard run), or make one now with synguard token --rotate`);
        }
      }
      process.stdout.write(opts.json ? `${JSON.stringify({ token, path })}\n` : `${token}\n`);
    });
}
