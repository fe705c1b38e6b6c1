// The man page and the completions cover the real command tree: every command and every option of main.ts is in
// synguard.1 and in the bash completion, and bash completes subcommands, options and option values with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../../core/exec.js';
import { tempDir } from '../../testing/temp.js';
import { needs } from '../../testing/needs.js';
import { loadProgram } from './load.js';
import { allCommands, describeProgram } from './tree.js';
import { roff } from './man.js';
import { BASH_COMPLETION, MAN_PAGE, ZSH_COMPLETION, generate } from './generate.js';

const tree = describeProgram(await loadProgram());
const commands = allCommands(tree);
const dir = tempDir('sg-manual-');
await generate(dir);
const man = readFileSync(join(dir, MAN_PAGE), 'utf8');
const bash = readFileSync(join(dir, BASH_COMPLETION), 'utf8');
const zsh = readFileSync(join(dir, ZSH_COMPLETION), 'utf8');

test('the tree is main.ts\'s: the known commands and their subcommands are all there', () => {
  const paths = commands.map((c) => c.path.join(' '));
  for (const p of ['status', 'run', 'off', 'harden', 'bans', 'history', 'ban', 'unban', 'token', 'install', 'uninstall', 'reports', 'reports show', 'upstream status', 'lab run', 'lab down']) {
    assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
  }
  assert.ok(commands.length >= 20);
});

test('every command and every option is in the man page', () => {
  for (const c of commands.slice(1)) {
    assert.ok(man.includes(`.SS "${roff(c.usage).replace(/-/g, '\\-')}"`), `section for ${c.usage}`);
    assert.ok(man.includes(roff(c.description)), `description of ${c.usage}`);
  }
  for (const c of commands) {
    for (const o of c.options) assert.ok(man.includes(`.B ${o.flags.replace(/-/g, '\\-')}`), `${c.usage}: ${o.flags}`);
  }
  assert.match(man, /^\.TH SYNGUARD 1 "" "synguard \d+\.\d+\.\d+"/);
  assert.ok(!man.split('\n').some((l) => l.startsWith("'")), 'no line starts a roff request by accident');
});

test('every command and every option is in the bash and zsh completions', () => {
  for (const c of commands) {
    const key = `'${['synguard', ...c.path].join(' ')}'`;
    assert.ok(bash.includes(`[${key}]=`), `bash: ${key}`);
    assert.ok(zsh.includes(`  ${key} `), `zsh: ${key}`);
    const line = bash.split('\n').find((l) => l.startsWith(`  [${key}]=`) && l.includes('--'));
    for (const o of c.options) {
      if (o.long) assert.ok(line?.includes(` ${o.long}`) || line?.includes(`'${o.long}`), `bash ${key}: ${o.long}`);
      if (o.long) assert.ok(zsh.includes(`${o.long.replace(/:/g, '\\:')}:`), `zsh ${key}: ${o.long}`);
    }
  }
});

/** What bash offers for the words typed so far (the last one is being completed). */
async function complete(...words: string[]): Promise<string[]> {
  const script = `source ${JSON.stringify(join(dir, BASH_COMPLETION))}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_synguard; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await exec('bash', ['-c', script], { timeoutMs: 10_000 });
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test('bash completes subcommands, options and option values', needs(['bash'], async () => {
  assert.deepEqual(await complete('synguard', 'u'), ['unban', 'uninstall', 'upstream']);
  assert.deepEqual(await complete('synguard', 'lab', ''), ['down', 'list', 'run']);
  assert.deepEqual(await complete('synguard', 'upstream', 'an'), ['announce']);
  assert.ok((await complete('synguard', 'run', '--')).includes('--dry-run'));
  assert.ok((await complete('synguard', 'run', '--config', 'x.yaml', '--st')).includes('--state-dir'));
  assert.ok((await complete('synguard', 'lab', 'run', '--')).includes('--short'));
  // after an option that needs a value, bash offers files, not options
  const files = await complete('synguard', 'run', '--config', dir.slice(0, -2));
  assert.ok(files.some((f) => f === dir), `${files.join(', ')}`);
}));
