// `synguard lab`: placeholder until the lab lands.
import type { Command } from 'commander';

export function registerLab(program: Command): void {
  program.command('lab').description('rehearse floods in network namespaces (not built yet)');
}
