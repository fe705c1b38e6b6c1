// `synguard install` and `uninstall` as steps: files under a root, then systemd (live when it runs, offline with
// `systemctl --root` otherwise), then, for uninstall, synguard's kernel state. Idempotent; every program through exec.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFrom, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import { runningDaemon } from '../store/pidfile.js';
import { installPaths, renderUnit, UNIT_NAME, type InstallPaths, type UnitTarget } from './service.js';

export interface ServiceDeps {
  readonly exec: Exec;
  /** One line of progress for the user. */
  readonly out: (line: string) => void;
  /** Whether systemd is the running init here (/run/systemd/system exists). */
  readonly systemdRunning: boolean;
  readonly unitTemplate: string;
  readonly configTemplate: string;
  readonly target: UnitTarget;
  /** Removes synguard's kernel state (as `synguard off`) for the store in stateDir. */
  readonly removeKernelState: (stateDir: string) => Promise<void>;
}

/** Live: talk to the running systemd. Offline: edit the unit links under the root only (containers, images, tests). */
const live = (p: InstallPaths, deps: ServiceDeps): boolean => p.root === '/' && deps.systemdRunning;

async function systemctl(args: string[], p: InstallPaths, deps: ServiceDeps): Promise<boolean> {
  const argv = live(p, deps) ? args : [`--root=${p.root}`, ...args];
  const r = await deps.exec('systemctl', argv, { timeoutMs: 120_000 });
  if (r.spawnError === 'ENOENT') {
    deps.out(`systemctl is not installed: skipped "systemctl ${argv.join(' ')}"`);
    return false;
  }
  if (r.failed) {
    deps.out(`systemctl ${argv.join(' ')} failed: ${r.stderr.trim().split('\n').slice(-2).join(' / ') || `exit code ${String(r.exitCode)}`}`);
    return false;
  }
  return true;
}

/** The config under the root, or the defaults when there is none (never the host's own /etc when a root is given). */
function configUnder(p: InstallPaths): Config {
  return existsSync(p.config) ? loadConfig(p.config) : configFrom({});
}

export async function installService(root: string, start: boolean, deps: ServiceDeps): Promise<void> {
  const p = installPaths(root);
  mkdirSync(p.unitDir, { recursive: true });
  const unit = renderUnit(deps.unitTemplate, deps.target);
  const before = existsSync(p.unit) ? readFileSync(p.unit, 'utf8') : null;
  if (before !== unit) {
    writeFileSync(p.unit, unit, { mode: 0o644 });
    chmodSync(p.unit, 0o644);
  }
  deps.out(`${p.unit}: ${before === null ? 'installed' : before === unit ? 'already up to date' : 'updated'} (ExecStart=${deps.target.command.join(' ')} run ...)`);
  if (deps.target.underHome) deps.out('  synguard lives under /root or /home: the unit has ProtectHome=read-only so it can read it');

  if (existsSync(p.config)) {
    deps.out(`${p.config}: kept as it is`);
  } else {
    mkdirSync(p.configDir, { recursive: true, mode: 0o755 });
    writeFileSync(p.config, deps.configTemplate, { mode: 0o600 });
    deps.out(`${p.config}: installed (every key commented out: the defaults apply)`);
  }
  configUnder(p); // an invalid existing config is reported now, not at the service's first start

  if (live(p, deps)) {
    await systemctl(['daemon-reload'], p, deps);
    if (await systemctl(start ? ['enable', '--now', UNIT_NAME] : ['enable', UNIT_NAME], p, deps)) {
      deps.out(start ? `${UNIT_NAME}: enabled and started (journalctl -u synguard -f shows its log)` : `${UNIT_NAME}: enabled; start it with: systemctl start synguard`);
    }
    return;
  }
  const enabled = await systemctl(['enable', UNIT_NAME], p, deps);
  const why = p.root === '/' ? 'systemd is not running here (a container?)' : `installed under ${p.root}`;
  deps.out(`${why}: ${enabled ? `${UNIT_NAME} is enabled for the next boot, ` : ''}nothing was started.`);
  deps.out('  on a host with systemd: systemctl daemon-reload && systemctl enable --now synguard');
  deps.out(`  without systemd: synguard run --config ${join('/', 'etc/synguard/config.yaml')}`);
}

export async function uninstallService(root: string, purge: boolean, deps: ServiceDeps): Promise<void> {
  const p = installPaths(root);
  const config = configUnder(p);
  const stateDir = join(p.root, config.defender.stateDir);

  if (existsSync(p.unit)) {
    if (await systemctl(live(p, deps) ? ['disable', '--now', UNIT_NAME] : ['disable', UNIT_NAME], p, deps)) {
      deps.out(`${UNIT_NAME}: ${live(p, deps) ? 'stopped and disabled' : 'disabled'}`);
    }
    rmSync(p.unit, { force: true });
    deps.out(`${p.unit}: removed`);
  } else {
    deps.out(`${p.unit}: not installed`);
  }
  if (purge && existsSync(p.dropIns)) {
    rmSync(p.dropIns, { recursive: true, force: true });
    deps.out(`${p.dropIns}: removed`);
  }
  if (live(p, deps)) await systemctl(['daemon-reload'], p, deps);

  const pid = runningDaemon(stateDir);
  if (pid !== null) {
    throw new SynguardError('usage', `a synguard daemon (pid ${pid}) still runs on ${stateDir}, outside systemd: stop it (kill ${pid}) and run uninstall again`);
  }
  await deps.removeKernelState(stateDir);

  if (purge) {
    for (const dir of [p.configDir, stateDir]) {
      if (existsSync(dir)) {
        rmSync(dir, { recursive: true, force: true });
        deps.out(`${dir}: removed`);
      }
    }
  } else {
    deps.out(`kept ${p.config} and ${stateDir} (--purge removes them)`);
  }
}
