// `node dist/cli/manual/generate.js [DIR]` (run by `npm run build`): writes the man page and the bash and zsh
// completions, from the command definitions, into DIR (default: dist/share, which ships in the package):
//   man/man1/synguard.1, bash-completion/synguard, zsh/_synguard
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram } from './load.js';
import { describeProgram } from './tree.js';
import { manPage } from './man.js';
import { bashCompletion, zshCompletion } from './completion.js';

export const MAN_PAGE = 'man/man1/synguard.1';
export const BASH_COMPLETION = 'bash-completion/synguard';
export const ZSH_COMPLETION = 'zsh/_synguard';

/** Writes the three files under `dir` and returns their paths. */
export async function generate(dir: string): Promise<string[]> {
  const program = await loadProgram();
  const tree = describeProgram(program);
  const files: [string, string][] = [
    [MAN_PAGE, manPage(tree, program.version() ?? '')],
    [BASH_COMPLETION, bashCompletion(tree)],
    [ZSH_COMPLETION, zshCompletion(tree)],
  ];
  return files.map(([name, text]) => {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../share'));
  for (const path of await generate(dir)) process.stdout.write(`${path}\n`);
}
