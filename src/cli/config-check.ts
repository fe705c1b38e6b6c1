// `synguard config check`: the config test (like `fail2ban-client -t`), and the effective config with its allow-list.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_CONFIG_PATH } from '../config/path.js';

interface CheckOptions {
  config?: string;
  print?: boolean;
  json?: boolean;
}

/** The file `loadConfig` reads for these options, or null for the built-in defaults. */
function fileRead(path: string | undefined): string | null {
  if (path !== undefined) return path;
  return existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : null;
}

export function registerConfig(program: Command): void {
  const config = program.command('config').description('check the configuration and print it as it applies');
  config
    .command('check')
    .description('validate the config file with the same loader and messages as `synguard run` (exit 2 on error)')
    .option('-c, --config <file>', 'config file (default /etc/synguard/config.yaml if it exists)')
    .option('--print', 'print the effective config (defaults filled in) and the allow-list as it would apply now')
    .option('--json', 'print JSON: {ok, file} (with --print: {ok, file, config, allowList})')
    .addHelpText('after', `
The allow-list printed is what \`run\` would build now: loopback, this host's addresses, the default gateways,
the peers of current SSH sessions (defender.sshPorts) and defender.allowList, each with its origin.

Examples:
  synguard config check                            is /etc/synguard/config.yaml valid?
  synguard config check -c ./config.yaml --print   the effective config and allow-list, as YAML
  synguard config check --print --json             the same as one JSON object`)
    .action(async (opts: CheckOptions) => {
      const { loadConfig } = await import('../config/load.js'); // zod and yaml: loaded when a command runs, not for --help
      const loaded = loadConfig(opts.config); // throws the SynguardError `run` would: one line, exit 2
      const file = fileRead(opts.config);
      const name = file ?? `built-in defaults (no ${DEFAULT_CONFIG_PATH})`;
      if (!opts.print) {
        process.stdout.write(opts.json ? `${JSON.stringify({ ok: true, file })}\n` : `${name}: OK\n`);
        return;
      }
      const [{ stringify }, { printableConfig }, { currentAllowList }] = await Promise.all([import('yaml'), import('../config/printable.js'), import('../ops/allow.js')]);
      const allow = await currentAllowList(loaded, (line) => process.stderr.write(`synguard: warning: ${line}\n`));
      const allowList = allow.entries.map((e) => ({ value: e.value, source: e.source }));
      const effective = printableConfig(loaded);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ok: true, file, config: effective, allowList }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`# ${name}: OK. The effective config, defaults filled in:\n${stringify(effective)}`);
      process.stdout.write(`---\n# The allow-list as it would apply now (never banned), each entry with its origin:\n${stringify({ allowList })}`);
    });
}
