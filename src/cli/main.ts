#!/usr/bin/env node
// Entry point. At the top it imports only node:module and small modules of constants: `--version` answers from
// here, and V8's compile cache is on before any other code of synguard or its dependencies is compiled. A command
// then runs from its bundle (bundles/MODULE.js: program.ts with that command's code in one file, made by
// bundle/build.ts), or, for help, a typo or a build without bundles, from program.ts, which loads the whole tree
// (docs/benchmarks.md, issue 11).
import module from 'node:module';
import { commandModule } from './commands.js';
import { compileCacheDir } from './compile-cache.js';
import { tooOldNode } from './node-version.js';
import { VERSION } from './version.js';

const argv = process.argv;
const tooOld = tooOldNode(process.version, process.execPath);
if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
  process.stdout.write(`${VERSION}\n`); // what commander prints, without loading it
} else if (tooOld !== null) {
  process.stderr.write(`synguard: ${tooOld}\n`);
  process.exitCode = 2;
} else {
  // Best effort: an unwritable directory only costs the speed-up; a Node older than 22.1 has no cache (engines: 24).
  const dir = compileCacheDir(process.env, process.getuid?.() ?? -1);
  const enable = (module as Partial<typeof module>).enableCompileCache;
  if (dir !== null) enable?.(dir);
  if (process.env['SYNGUARD_DEBUG']) process.setSourceMapsEnabled(true); // stacks name dist/ files, not the bundle
  const { run } = (await import(entry(commandModule(argv[2])))) as typeof import('./program.js');
  process.exitCode = await run(argv);
}

/** The command's bundle, unless there is none or it is older than program.js (a build by tsc alone): program.js. */
function entry(mod: string | null): string {
  const program = new URL('./program.js', import.meta.url);
  if (mod === null) return program.href;
  const bundle = new URL(`./bundles/${mod}.js`, import.meta.url);
  const { statSync } = process.getBuiltinModule('node:fs'); // not an ES import of node:fs: that loads fs/promises
  const built = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
  return built !== undefined && built >= (statSync(program, { throwIfNoEntry: false })?.mtimeMs ?? 0) ? bundle.href : program.href;
}
