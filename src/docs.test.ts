// The docs say what the code does, for the statements issue 17 found wrong: the lab's --short scale, the FlowSpec
// rate-limit default, the HTTP endpoint list, the npm tarball step, docs/ in the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFrom } from './config/load.js';
import { loadProgram } from './cli/manual/load.js';
import { allCommands, describeProgram } from './cli/manual/tree.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(repo, path), 'utf8');

test('docs/lab.md gives the --short scale that `lab run --short` uses, and no other', async () => {
  const run = allCommands(describeProgram(await loadProgram())).find((c) => c.path.join(' ') === 'lab run');
  const short = run?.options.find((o) => o.long === '--short')?.description ?? '';
  const scale = /by (\d+(?:\.\d+)?)/.exec(short)?.[1];
  assert.ok(scale, `--short says its scale: "${short}"`);
  const lab = read('docs/lab.md');
  assert.ok(lab.includes(`×${scale}`), `docs/lab.md says ×${scale}`);
  const others = [...lab.matchAll(/×(\d+\.\d+)/g)].map((m) => m[1]).filter((s) => s !== scale);
  assert.deepEqual(others, [], 'no other short scale in docs/lab.md');
});

test('docs/upstream.md and docs/config.md give the rate-limit default of the code', () => {
  const bytes = configFrom({}).upstream.steps.rateLimit.bytesPerSecond;
  assert.ok(read('docs/upstream.md').includes(`default ${bytes.toLocaleString('en-US')}`), `docs/upstream.md: default ${bytes}`);
  assert.ok(read('docs/config.md').includes(`bytesPerSecond: ${bytes}`));
});

test('docs/http.md lists every route the server has', () => {
  const sources = [read('src/http/routes.ts'), read('src/http/dashboard/routes.ts')].join('\n');
  const paths = [...sources.matchAll(/path: \/\^(.*?)\$\//g)].map((m) => (m[1] ?? '').replace(/\\\//g, '/').replace(/\(\[\^\/\]\+\)$/, ''));
  assert.ok(paths.length >= 13, `found ${paths.length} routes`);
  const rows = read('docs/http.md').split('\n').filter((l) => l.startsWith('| `'));
  for (const p of paths) {
    const escaped = p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const documented = new RegExp(`\`(GET|POST|DELETE) ${escaped}(\`|\\?|\\{)`);
    assert.ok(rows.some((r) => documented.test(r)), `docs/http.md documents ${p}`);
  }
});

test('the tarball line comes after npm pack, and docs/ ships in the package', () => {
  for (const doc of ['README.md', 'docs/install.md']) {
    const lines = read(doc).split('\n');
    const install = lines.findIndex((l) => l.startsWith('npm install -g ./synguard-'));
    assert.ok(install > 0 && lines[install - 1]?.startsWith('npm pack'), `${doc}: npm pack right before npm install -g`);
  }
  const pkg = JSON.parse(read('package.json')) as { files: string[] };
  assert.ok(pkg.files.includes('docs'));
});
