// What `synguard install` puts where: the shipped unit and example config, the paths under a root, and the unit as
// written for this host (ExecStart pointing at the installed binary). Pure but for reading the shipped files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UNIT_NAME = 'synguard.service';

/** A file shipped in the package's contrib/ folder (dist/install/ → ../../contrib/). */
export const contribPath = (name: string): string => fileURLToPath(new URL(`../../contrib/${name}`, import.meta.url));

export const shippedUnit = (): string => readFileSync(contribPath(UNIT_NAME), 'utf8');
export const shippedConfig = (): string => readFileSync(contribPath('config.example.yaml'), 'utf8');

export interface InstallPaths {
  readonly root: string;
  readonly unitDir: string;
  readonly unit: string;
  /** Drop-ins made with `systemctl edit synguard`. */
  readonly dropIns: string;
  readonly configDir: string;
  readonly config: string;
}

/** The paths under `root` ("/" for the real system, a temporary directory in tests). */
export function installPaths(root: string): InstallPaths {
  const unitDir = join(root, 'etc/systemd/system');
  return {
    root, unitDir, unit: join(unitDir, UNIT_NAME), dropIns: join(unitDir, `${UNIT_NAME}.d`),
    configDir: join(root, 'etc/synguard'), config: join(root, 'etc/synguard/config.yaml'),
  };
}

/** Quotes one ExecStart word the way systemd reads it (only when needed). */
function execWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\])/g, '\\$1')}"`;
}

export interface UnitTarget {
  /** The command that runs synguard: [binary] or [node, script]. */
  readonly command: readonly string[];
  /** True when the binary or its script lives under /root, /home or /run/user (ProtectHome=yes would hide it). */
  readonly underHome: boolean;
}

export const isUnderHome = (path: string): boolean => /^\/(root|home|run\/user)(\/|$)/.test(path);

/** The shipped unit with ExecStart running `target` and, for a binary under a home, ProtectHome=read-only. */
export function renderUnit(template: string, target: UnitTarget): string {
  const exec = target.command.map(execWord).join(' ');
  let unit = template.replace(/^ExecStart=\S+ /m, () => `ExecStart=${exec} `);
  if (target.underHome) unit = unit.replace(/^ProtectHome=yes$/m, 'ProtectHome=read-only');
  return unit;
}
