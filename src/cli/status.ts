// `synguard status`: placeholder.
import type { Command } from 'commander';

export function registerStatus(program: Command): void {
  program.command('status').description('show connections, listeners, counters and a verdict');
}
