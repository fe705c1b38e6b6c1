// The command tree as plain data, read from commander's own definitions: what the man page and the completions are made of.
import type { Command } from 'commander';

export interface OptionDoc {
  /** As written in the definition: `-w, --watch [SECONDS]`. */
  readonly flags: string;
  readonly long: string | null;
  readonly short: string | null;
  /** True when the option must have a value (`<X>`): completion then offers file names for the next word. */
  readonly takesValue: boolean;
  readonly description: string;
}

export interface CommandDoc {
  /** The words that call it: `[]` for synguard itself, `['lab', 'run']`. */
  readonly path: readonly string[];
  /** `synguard lab run [options] <scenario>`. */
  readonly usage: string;
  readonly description: string;
  /** The text a command adds after its help (addHelpText), trimmed; '' when none. */
  readonly extra: string;
  readonly options: readonly OptionDoc[];
  readonly commands: readonly CommandDoc[];
}

/** Everything `--help` prints, for every visible command (commander's implicit `help` command left out). */
export function describeProgram(program: Command, path: readonly string[] = []): CommandDoc {
  const help = program.createHelp();
  const options = help.visibleOptions(program).map((o) => ({
    flags: o.flags,
    long: o.long ?? null,
    short: o.short ?? null,
    takesValue: o.required,
    description: help.optionDescription(o),
  }));
  const commands = help.visibleCommands(program)
    .filter((c) => program.commands.includes(c))
    .map((c) => describeProgram(c, [...path, c.name()]));
  return {
    path,
    usage: help.commandUsage(program),
    description: program.description(),
    extra: extraHelp(program),
    options,
    commands,
  };
}

/** The text after the generated help (addHelpText 'after'), captured by printing the help into a buffer. */
function extraHelp(cmd: Command): string {
  let out = '';
  const saved = cmd.configureOutput();
  cmd.configureOutput({ ...saved, writeOut: (s) => { out += s; } });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
  const base = cmd.helpInformation();
  return (out.startsWith(base) ? out.slice(base.length) : '').trim();
}

/** Every command in the tree, depth first, the root first. */
export function allCommands(root: CommandDoc): CommandDoc[] {
  return [root, ...root.commands.flatMap(allCommands)];
}
