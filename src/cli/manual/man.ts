// synguard(1) in roff, from the command tree: every command with its usage, description, options and extra help.
import { allCommands, type CommandDoc } from './tree.js';

/** Escapes text for roff: backslashes, hyphens in flags stay literal, a leading dot or quote cannot start a request. */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

const flag = (s: string): string => roff(s).replace(/-/g, '\\-');

function section(cmd: CommandDoc): string[] {
  const lines = [`.SS "${flag(cmd.usage).replace(/"/g, '\\(dq')}"`, roff(cmd.description)];
  if (cmd.extra) lines.push('.PP', '.nf', roff(cmd.extra), '.fi');
  for (const o of cmd.options) lines.push('.TP', `.B ${flag(o.flags)}`, roff(o.description));
  return lines;
}

/** The whole page. `version` goes in the footer; no date, so a rebuild gives the same bytes. */
export function manPage(root: CommandDoc, version: string): string {
  const commands = allCommands(root).slice(1);
  return [
    `.TH SYNGUARD 1 "" "synguard ${version}" "User Commands"`,
    '.SH NAME',
    `synguard \\- ${roff(root.description.replace(/\.$/, ''))}`,
    '.SH SYNOPSIS',
    '.B synguard',
    '\\fICOMMAND\\fR [\\fIOPTIONS\\fR]',
    '.SH DESCRIPTION',
    'synguard tells a spoofed SYN flood (answered with SYN cookies and kernel tuning) from a flood by a few real',
    'sources (banned in nftables) and from a connection flood (banned, their sockets killed).',
    'It changes: the nftables table \\fBinet synguard\\fR (base chains prerouting at priority \\-300 and output),',
    'four SYN sysctls during an attack (originals recorded and restored), \\fI/var/lib/synguard\\fR, and the API on',
    '127.0.0.1:9717. \\fBsynguard off\\fR removes all of it from the kernel; stopping the daemon does not.',
    '.SH OPTIONS',
    ...root.options.flatMap((o) => ['.TP', `.B ${flag(o.flags)}`, roff(o.description)]),
    '.SH COMMANDS',
    ...commands.flatMap(section),
    '.SH FILES',
    '.TP', '.I /var/lib/synguard', 'the state directory: the SQLite store, the API token (api\\-token), attack reports (reports/)',
    '.TP', '.I /etc/synguard/config.yaml', 'the config file written by \\fBsynguard install\\fR (every key optional)',
    '.SH EXIT STATUS',
    '0 on success; 2 for anything the caller can fix (usage, config, permissions, a missing tool); 1 for a failure at run time.',
    '.SH SEE ALSO',
    '.BR nft (8),',
    '.BR sysctl (8),',
    '.BR ss (8).',
    'The documents under \\fIdocs/\\fR in the package (README.md, docs/config.md, docs/enforce.md, docs/coexist.md).',
    '',
  ].join('\n');
}
