#!/usr/bin/env node
// Entry point. At the top it imports only node:module and two small modules of constants: `--version` answers from
// here, and V8's compile cache is on before any other code of synguard or its dependencies is compiled; then
// program.ts loads only the command asked for (docs/benchmarks.md, issue 11).
import module from 'node:module';
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
  const { run } = await import('./program.js');
  process.exitCode = await run(argv);
}
