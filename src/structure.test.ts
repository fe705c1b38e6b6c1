// The shape of the code, read from its imports: each folder is one stage, and imports run one way, down the stages
// (README "Layout"). A new upward import or a new import cycle fails here; the known ones are listed as debt, and an
// entry that no longer exists fails too, so the list only shrinks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Lower stages never import higher ones. Folders of one rank do not import each other either. */
const RANK: Readonly<Record<string, number>> = {
  core: 0,
  config: 1,
  observe: 2,
  detect: 3,
  decide: 4, store: 4, enforce: 4, bus: 4,
  notify: 5, upstream: 5, report: 5, fleet: 5,
  ops: 5.5,
  http: 6,
  daemon: 7, install: 7,
  lab: 8,
  cli: 9,
  testing: 10, e2e: 11, fuzz: 11, bench: 12,
};

/** Upward or sideways imports that exist today (issue 13 moves them away). Paths relative to src/. */
const KNOWN_UPWARD: ReadonlySet<string> = new Set([
]);

/** Import cycles that exist today, each as its sorted files joined by ' ↔ '. */
const KNOWN_CYCLES: ReadonlySet<string> = new Set([
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports (static, re-exports and dynamic), as paths relative to src/ with .ts. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)) {
    const target = normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts');
    out.push(relative(SRC, target));
  }
  return out;
}

function graph(): Map<string, string[]> {
  return new Map(sources(SRC).map((f) => [relative(SRC, f), importsOf(f)]));
}

const folder = (path: string) => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '.');

test('imports run down the stages: no new upward or sideways import between folders', () => {
  const found = new Set<string>();
  for (const [from, targets] of graph()) {
    for (const to of targets) {
      const a = folder(from), b = folder(to);
      if (a === b || a === '.') continue;
      const ra = RANK[a], rb = RANK[b];
      assert.ok(ra !== undefined, `${from}: folder "${a}" has no rank in src/structure.test.ts: give it one`);
      assert.ok(rb !== undefined, `${to}: folder "${b}" has no rank in src/structure.test.ts: give it one`);
      if (rb >= ra) found.add(`${from} -> ${to}`);
    }
  }
  const fresh = [...found].filter((e) => !KNOWN_UPWARD.has(e)).sort();
  assert.deepEqual(fresh, [], 'new imports up (or across) the stages: move the shared piece down instead');
  const gone = [...KNOWN_UPWARD].filter((e) => !found.has(e)).sort();
  assert.deepEqual(gone, [], 'fixed: remove these from KNOWN_UPWARD');
});

/** Strongly connected components of more than one file (Tarjan). */
function cycles(g: Map<string, string[]>): string[] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!g.has(w)) continue;
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1) out.push(comp.sort().join(' ↔ '));
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out.sort();
}

test('no new import cycle between files', () => {
  const found = cycles(graph());
  assert.deepEqual(found.filter((c) => !KNOWN_CYCLES.has(c)), [], 'a new import cycle: break it');
  assert.deepEqual([...KNOWN_CYCLES].filter((c) => !found.includes(c)), [], 'fixed: remove these from KNOWN_CYCLES');
});

test('the graph is read: the daemon imports the defender, the CLI its commands', () => {
  const g = graph();
  assert.ok(g.get('daemon/run.ts')?.includes('daemon/defender.ts'));
  assert.ok((g.get('cli/main.ts') ?? []).length > 0);
});
