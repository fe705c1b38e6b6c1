// `synguard install` and `synguard uninstall`: the systemd service, its config, and (uninstall) the kernel state.
import { accessSync, constants, existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import type { ServiceDeps } from '../install/actions.js';
import { isUnderHome, shippedConfig, shippedUnit, type UnitTarget } from '../install/service.js';
import { registerDefend } from './defend.js';

/** How the unit should start this very synguard: its bin link when executable, else node and the script. */
function currentTarget(): UnitTarget {
  const script = resolve(process.argv[1] ?? '');
  let command: string[];
  try {
    accessSync(script, constants.X_OK);
    command = [script];
  } catch {
    command = [process.execPath, script];
  }
  const real = (p: string): string => { try { return realpathSync(p); } catch { return p; } };
  return { command, underHome: command.some((p) => isUnderHome(real(p)) || isUnderHome(p)) };
}

/** `synguard off` itself, run in-process on a state directory (an empty throwaway one when there is none). */
async function removeKernelState(stateDir: string): Promise<void> {
  const scratch = existsSync(stateDir) ? null : mkdtempSync(join(tmpdir(), 'synguard-off-'));
  try {
    const off = new Command('synguard').exitOverride();
    registerDefend(off);
    await off.parseAsync(['off', '--state-dir', scratch ?? stateDir], { from: 'user' });
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/** On Linux only; the kernel readers behind assertLinux are imported when a command runs, not for --help. */
async function deps(): Promise<ServiceDeps> {
  (await import('../observe/sample.js')).assertLinux();
  return {
    exec, out: (line) => process.stdout.write(`${line}\n`), systemdRunning: existsSync('/run/systemd/system'),
    unitTemplate: shippedUnit(), configTemplate: shippedConfig(), target: currentTarget(), removeKernelState,
  };
}

function rootOf(opts: { root?: string }): string {
  const root = resolve(opts.root ?? '/');
  if (opts.root !== undefined && !existsSync(root)) throw new SynguardError('usage', `--root ${opts.root} does not exist`);
  return root;
}

export function registerInstall(program: Command): void {
  program.command('install')
    .description('install synguard as a systemd service: the unit, a commented config (never overwritten), enabled and started')
    .option('--root <dir>', 'install under this directory instead of / (images, tests); systemd is then only edited offline')
    .option('--no-start', 'enable the service for the next boot but do not start it now')
    .addHelpText('after', `
Writes /etc/systemd/system/synguard.service (ExecStart runs this synguard) and, unless it exists,
/etc/synguard/config.yaml (every key commented out, showing its default). Then systemctl daemon-reload and
enable --now. Where systemd is not running (containers), the unit is enabled offline and the command says how
to start synguard. Run it again after an upgrade: the unit is rewritten, the config kept. See docs/install.md.`)
    .action(async (opts: { root?: string; start: boolean }) => {
      const [{ installService }, d] = await Promise.all([import('../install/actions.js'), deps()]);
      await installService(rootOf(opts), opts.start, d);
    });

  program.command('uninstall')
    .description('stop and disable the service, remove its unit and synguard\'s kernel state (as synguard off); keep config and state')
    .option('--root <dir>', 'uninstall from under this directory instead of /')
    .option('--purge', 'also remove /etc/synguard and the state directory (the store, its history and the API token)')
    .action(async (opts: { root?: string; purge?: boolean }) => {
      const [{ uninstallService }, d] = await Promise.all([import('../install/actions.js'), deps()]);
      await uninstallService(rootOf(opts), opts.purge === true, d);
    });
}
