// Which module registers each top-level command, in the order `--help` lists them. Constants only: main.ts reads this
// before anything else is loaded, to pick the command's bundle (bundle/build.ts); program.ts loads the same modules
// unbundled. A new command module goes here and in program.ts's LOADERS (the compiler holds the two together); a
// name missing here still works, from program.ts's whole tree.
export const COMMAND_MODULES = {
  status: ['status'],
  defend: ['run', 'off', 'harden'],
  'config-check': ['config'],
  bans: ['bans', 'history'],
  ban: ['ban', 'unban'],
  token: ['token'],
  install: ['install', 'uninstall'],
  reports: ['reports'],
  upstream: ['upstream'],
  fleet: ['fleet'],
  bouncers: ['bouncers'],
  lab: ['lab'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type CommandModule = keyof typeof COMMAND_MODULES;

/** The module of a top-level command name (argv[2]); null for an option, a typo or nothing. */
export function commandModule(name: string | undefined): CommandModule | null {
  if (name === undefined) return null;
  for (const [mod, names] of Object.entries(COMMAND_MODULES)) {
    if ((names as readonly string[]).includes(name)) return mod as CommandModule;
  }
  return null;
}
