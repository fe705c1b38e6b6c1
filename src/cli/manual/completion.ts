// Shell completion for bash and zsh, from the command tree: subcommands after each command, its options after `-`,
// and file names after an option that takes a value. The scripts hold data tables and one small function each.
import { allCommands, type CommandDoc } from './tree.js';

const key = (cmd: CommandDoc): string => ['synguard', ...cmd.path].join(' ');
const longs = (cmd: CommandDoc): string[] => cmd.options.flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== null);
const valued = (cmd: CommandDoc): string[] => cmd.options.filter((o) => o.takesValue).flatMap((o) => [o.long, o.short]).filter((f): f is string => f !== null);
/** Single-quoted for bash and zsh: `'` becomes `'\''`. */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** /usr/share/bash-completion/completions/synguard */
export function bashCompletion(root: CommandDoc): string {
  const cmds = allCommands(root);
  const table = (name: string, value: (c: CommandDoc) => string[]): string[] =>
    [`_synguard_${name}=(`, ...cmds.map((c) => `  [${q(key(c))}]=${q(value(c).join(' '))}`), ')'];
  return [
    '# bash completion for synguard; generated from its command definitions by `npm run build` (src/cli/manual/).',
    'declare -gA _synguard_sub _synguard_opt _synguard_val',
    ...table('sub', (c) => c.commands.map((s) => s.path.at(-1) ?? '')),
    ...table('opt', longs),
    ...table('val', valued),
    '_synguard() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} at=synguard w i skip=0',
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    '    w=${COMP_WORDS[i]}',
    '    if ((skip)); then skip=0; continue; fi',
    '    if [[ $w == -* ]]; then',
    '      [[ $w != *=* && " ${_synguard_val[$at]} " == *" $w "* ]] && skip=1',
    '      continue',
    '    fi',
    '    [[ " ${_synguard_sub[$at]} " == *" $w "* ]] && at="$at $w"',
    '  done',
    '  if ((skip)); then COMPREPLY=($(compgen -f -- "$cur")); return; fi',
    '  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "${_synguard_opt[$at]}" -- "$cur"))',
    '  elif [[ -n ${_synguard_sub[$at]} ]]; then COMPREPLY=($(compgen -W "${_synguard_sub[$at]}" -- "$cur"))',
    '  else COMPREPLY=($(compgen -f -- "$cur"))',
    '  fi',
    '}',
    'complete -o filenames -F _synguard synguard',
    '',
  ].join('\n');
}

/** /usr/local/share/zsh/site-functions/_synguard (zsh's `_describe` shows each description beside its name). */
export function zshCompletion(root: CommandDoc): string {
  const cmds = allCommands(root);
  const item = (name: string, text: string): string => `${name.replace(/:/g, '\\:')}:${oneLine(text)}`;
  const table = (name: string, value: (c: CommandDoc) => string[]): string[] =>
    [`_synguard_${name}=(`, ...cmds.map((c) => `  ${q(key(c))} ${q(value(c).join('\n'))}`), ')'];
  return [
    '#compdef synguard',
    '# zsh completion for synguard; generated from its command definitions by `npm run build` (src/cli/manual/).',
    'typeset -gA _synguard_sub _synguard_subdesc _synguard_optdesc _synguard_val',
    ...table('sub', (c) => c.commands.map((s) => s.path.at(-1) ?? '')),
    ...table('subdesc', (c) => c.commands.map((s) => item(s.path.at(-1) ?? '', s.description))),
    ...table('optdesc', (c) => c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== null).map((f) => item(f, o.description)))),
    ...table('val', valued),
    '_synguard() {',
    '  local at=synguard w i skip=0',
    '  local -a items',
    '  for (( i = 2; i < CURRENT; i++ )); do',
    '    w=${words[i]}',
    '    if (( skip )); then skip=0; continue; fi',
    '    if [[ $w == -* ]]; then',
    '      [[ $w != *=* && ${${(f)_synguard_val[$at]}[(Ie)$w]} -gt 0 ]] && skip=1',
    '      continue',
    '    fi',
    '    (( ${${(f)_synguard_sub[$at]}[(Ie)$w]} )) && at="$at $w"',
    '  done',
    '  if (( skip )); then _files; return; fi',
    '  if [[ ${words[CURRENT]} == -* ]]; then',
    '    items=(${(f)_synguard_optdesc[$at]}); _describe -t options option items',
    '  elif [[ -n ${_synguard_sub[$at]} ]]; then',
    '    items=(${(f)_synguard_subdesc[$at]}); _describe -t commands command items',
    '  else',
    '    _files',
    '  fi',
    '}',
    '_synguard "$@"',
    '',
  ].join('\n');
}
