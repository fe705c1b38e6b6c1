// The CLI's command tree and the function that runs one command line (main.ts is the executable around it).
import { Command, CommanderError } from 'commander';
import { SynguardError } from '../core/errors.js';
import { registerStatus } from './status.js';
import { registerLab } from './lab.js';
import { registerBans } from './bans.js';
import { registerBan } from './ban.js';
import { registerDefend } from './defend.js';
import { registerToken } from './token.js';
import { registerInstall } from './install.js';
import { registerReports } from './reports.js';
import { registerUpstream } from './upstream.js';
import { registerConfig } from './config-check.js';
import { registerFleet } from './fleet.js';
import { registerBouncers } from './bouncers.js';

/** Every command under `cmd`, nested ones included (`config check`, `lab run`). */
function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** The command tree; `synguard --help` shows it. Exported for the argv fuzzer (src/fuzz/cli.test.ts). */
export function buildProgram(): Command {
  const program = new Command('synguard')
    .description('Keeps a Linux server reachable during SYN floods and connection floods.')
    .version('0.1.0')
    .showHelpAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerStatus(program);
  registerDefend(program);
  registerConfig(program);
  registerBans(program);
  registerBan(program);
  registerToken(program);
  registerInstall(program);
  registerReports(program);
  registerUpstream(program);
  registerFleet(program);
  registerBouncers(program);
  registerLab(program);
  for (const cmd of allCommands(program)) cmd.exitOverride().showHelpAfterError(true);
  return program;
}

/** A reader that closed stdout (`| head -1`) has all it wanted: stop quietly, exit 0, never an EPIPE trace. */
function exitWhenStdoutCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Runs one command line; the only place that formats errors: one line each, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  exitWhenStdoutCloses();
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit 0; every usage error exits 2 (commander has already printed it)
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof SynguardError) {
      process.stderr.write(`synguard: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`synguard: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env['SYNGUARD_DEBUG']) console.error(err);
    return 1;
  }
}

