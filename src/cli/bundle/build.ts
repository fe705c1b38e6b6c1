// `node dist/cli/bundle/build.js` (the last step of `npm run build`): one file per command module,
// dist/cli/bundles/MODULE.js, holding program.js with only that module's commands and all of synguard's code they
// import. main.js runs a command from its bundle: one file to resolve, read and compile from the cache instead of
// ~60, and a lighter daemon (docs/benchmarks.md, issue 11, eighth round). Each process loads one bundle, so each
// module exists once in it.
//
// What stays as it was unbundled:
// - lazy stays lazy: a module reached only through `await import()` is evaluated on that import (esbuild wraps it);
// - Node's built-ins and the packages are not ES-imported at the top of the bundle, where esbuild would hoist every
//   bundled module's imports (and `status` would load zod and SQLite): each becomes a small shim module, evaluated
//   where the module that imports it is, reading the built-in with process.getBuiltinModule (an ES import reads all
//   its exports: node:fs loads fs/promises and readline, node:http loads undici) and the package with require()
//   (commander and ipaddr.js, which every command loads, are bundled);
// - `import.meta.url` still names the module's own file under dist/ (the defaults file, the web directory, the lab's
//   scripts are found from it).
import { build, type Plugin } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMAND_MODULES, type CommandModule } from '../commands.js';

const CLI = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(CLI, '..');
const BUNDLE_DIR = join(CLI, 'bundles');
const BUILTINS = new Set(builtinModules);
const REQUIRE = '__synguardRequire';
/** Packages every command loads: bundled too. The others (zod, yaml, prom-client, SQLite) load only when needed. */
const BUNDLED = new Set(['commander', 'ipaddr.js']);

const isBuiltin = (spec: string): boolean => spec.startsWith('node:') || BUILTINS.has(spec);
const isPackage = (spec: string): boolean => !spec.startsWith('.') && !spec.startsWith('/');

/** The names imported from each built-in anywhere under dist/ (`import { a, b as c } from 'node:x'`, as tsc writes). */
function importedNames(dist: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js') || file.startsWith('cli/bundles/')) continue;
    for (const m of readFileSync(join(dist, file), 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      if (!isBuiltin(m[2]!)) continue;
      const name = m[2]!.startsWith('node:') ? m[2]! : `node:${m[2]!}`;
      const set = found.get(name) ?? found.set(name, new Set()).get(name)!;
      for (const part of m[1]!.split(',')) if (part.trim()) set.add(part.trim().split(/\s+as\s+/)[0]!);
    }
  }
  return found;
}

/**
 * An ES module with the built-in's default export and the names synguard imports from it, read with
 * process.getBuiltinModule. Only those: some exports are getters that load what they guard (node:http's WebSocket
 * loads undici). A name imported some other way fails the build ("No matching export"). Not a CommonJS shim:
 * esbuild's interop would copy every property of the built-in for each module that imports it.
 */
function builtinShim(name: string, names: ReadonlySet<string> = new Set()): string {
  return [
    `const m = process.getBuiltinModule(${JSON.stringify(name)});`,
    'export default m;',
    ...(names.size > 0 ? [`export const ${[...names].map((k) => `${k} = m.${k}`).join(', ')};`] : []),
  ].join('\n');
}

function shims(only: CommandModule, imported: ReadonlyMap<string, ReadonlySet<string>>): Plugin {
  const others = new Set(Object.keys(COMMAND_MODULES).filter((m) => m !== only).map((m) => join(CLI, `${m}.js`)));
  return {
    name: 'synguard-shims',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace !== 'file') return undefined;
        if (isBuiltin(args.path)) {
          const path = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
          return { path, namespace: args.kind === 'require-call' ? 'builtin-cjs' : 'builtin' }; // a bundled package's require()
        }
        if (isPackage(args.path) && !BUNDLED.has(args.path)) return { path: args.path, namespace: 'package' };
        if (args.importer === join(CLI, 'program.js') && others.has(join(CLI, args.path))) return { path: args.path, namespace: 'other-command' };
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({ contents: builtinShim(args.path, imported.get(args.path)), loader: 'js' }));
      b.onLoad({ filter: /.*/, namespace: 'builtin-cjs' }, (args) => ({ contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)});`, loader: 'js' }));
      b.onLoad({ filter: /.*/, namespace: 'package' }, (args) => ({ contents: `module.exports = ${REQUIRE}(${JSON.stringify(args.path)});`, loader: 'js' }));
      b.onLoad({ filter: /.*/, namespace: 'other-command' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in the ${only} bundle`)});`, loader: 'js',
      }));
      b.onLoad({ filter: /\.js$/, namespace: 'file' }, async (args) => {
        const text = await readFile(args.path, 'utf8');
        const meta = text.replaceAll('import.meta.url', '');
        if (/import\.meta\b/.test(meta)) throw new Error(`${args.path}: import.meta other than import.meta.url cannot be bundled`);
        if (meta === text) return undefined;
        const own = relative(BUNDLE_DIR, args.path);
        return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: 'js' };
      });
    },
  };
}

/** Writes dist/cli/bundles/MODULE.js for one command module. */
async function bundle(only: CommandModule, imported: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
  await build({
    entryPoints: [join(CLI, 'program.js')],
    outfile: join(BUNDLE_DIR, `${only}.js`),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    logLevel: 'error',
    // Smaller source, smaller daemon: V8 keeps each module's source in the heap (1.8 MB less RSS for `run`, issue 11).
    // Names stay, and the map turns a SYNGUARD_DEBUG stack back into dist/ files and lines (main.ts).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    banner: { js: `import { createRequire as __synguardCreateRequire } from 'node:module';\nconst ${REQUIRE} = __synguardCreateRequire(import.meta.url);` },
    plugins: [shims(only, imported)],
  });
}

rmSync(BUNDLE_DIR, { recursive: true, force: true }); // a bundle left from a command that no longer exists
const imported = importedNames(DIST);
await Promise.all((Object.keys(COMMAND_MODULES) as CommandModule[]).map((m) => bundle(m, imported)));
