// The command tree and the one place that formats errors. Each command's module is imported only when that command
// runs (main.ts passes argv here): `synguard status` loads status.js and what it imports, not the daemon, the lab or
// the HTTP API. The help, a mistyped command and the manual generator get the whole tree (buildProgram).
import { Command, CommanderError } from 'commander';
import { SynguardError } from '../core/errors.js';
import { watchOutput } from '../core/teardown.js';
import { COMMAND_MODULES, commandModule, type CommandModule } from './commands.js';
import { VERSION } from './version.js';

type Register = (program: Command) => void;

/** Each command module's loader (commands.ts lists the names each registers). */
const LOADERS: Readonly<Record<CommandModule, () => Promise<Register>>> = {
  status: async () => (await import('./status.js')).registerStatus,
  defend: async () => (await import('./defend.js')).registerDefend,
  'config-check': async () => (await import('./config-check.js')).registerConfig,
  bans: async () => (await import('./bans.js')).registerBans,
  ban: async () => (await import('./ban.js')).registerBan,
  token: async () => (await import('./token.js')).registerToken,
  install: async () => (await import('./install.js')).registerInstall,
  reports: async () => (await import('./reports.js')).registerReports,
  upstream: async () => (await import('./upstream.js')).registerUpstream,
  fleet: async () => (await import('./fleet.js')).registerFleet,
  bouncers: async () => (await import('./bouncers.js')).registerBouncers,
  lab: async () => (await import('./lab.js')).registerLab,
};

/** Every command under `cmd`, nested ones included (`config check`, `lab run`). */
function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** `--version` needs no command; a command's name needs its module; anything else (help, a typo) the whole tree. */
function modulesFor(only: string | undefined): CommandModule[] {
  if (only === '--version' || only === '-V') return [];
  const one = commandModule(only);
  return one ? [one] : (Object.keys(COMMAND_MODULES) as CommandModule[]);
}

/** The program with the commands of `only` (a command name, as argv[2]), or all of them. */
export async function buildProgram(only?: string): Promise<Command> {
  const program = new Command('synguard')
    .description('Keeps a Linux server reachable during SYN floods and connection floods.')
    .version(VERSION)
    .showHelpAfterError(true)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const registers = await Promise.all(modulesFor(only).map((m) => LOADERS[m]()));
  for (const register of registers) register(program);
  for (const cmd of allCommands(program)) cmd.exitOverride().showHelpAfterError(true);
  return program;
}

/** Runs argv (process.argv's shape) and returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  watchOutput(); // `synguard bans | head -1`: the reader has all it wanted: exit 0, never an EPIPE trace
  try {
    // argv[2] is the command's name unless it is an option (`--help`, `-V`): then the whole tree answers
    await (await buildProgram(argv[2])).parseAsync(argv);
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
