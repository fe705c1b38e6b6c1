// The man page and the completions cover the real command tree: every command and every option of main.ts is in
// synguard.1 and in the bash and zsh completions, and both shells complete subcommands, options and option values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** What the zsh function offers (names only: `_describe` and `_files` stubbed, no prefix filtering). */
async function completeZsh(...words: string[]): Promise<string[]> {
  const script = `_describe() { local -a a; a=("\${(@P)\${@[-1]}}"); print -l -- "\${(@)a%%:*}"; }
_files() { print FILES; }
source ${JSON.stringify(join(dir, ZSH_COMPLETION))} >/dev/null
words=("$@"); CURRENT=$#
_synguard`;
  const r = await exec('zsh', ['-c', script, 'zsh', ...words], { timeoutMs: 10_000 });
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

test('zsh parses the completion and completes subcommands, options and option values', needs(['zsh'], async () => {
  const syntax = await exec('zsh', ['-n', join(dir, ZSH_COMPLETION)]);
  assert.equal(syntax.exitCode, 0, syntax.stderr);
  assert.deepEqual(await completeZsh('synguard', 'lab', ''), ['down', 'list', 'run']);
  assert.deepEqual(await completeZsh('synguard', 'upstream', 'an'), ['announce', 'status', 'withdraw']);
  const opts = await completeZsh('synguard', 'run', '--config', 'x.yaml', '--');
  for (const o of ['--config', '--dry-run', '--state-dir']) assert.ok(opts.includes(o), opts.join(' '));
  assert.deepEqual(await completeZsh('synguard', 'run', '--config', ''), ['FILES']);
  assert.ok(zsh.startsWith('#compdef synguard\n'));
}));

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');

test('install.sh installs the man page and completions (scripts/install-manual.sh), idempotently', needs(['bash', 'install'], async () => {
  assert.match(readFileSync(join(repo, 'scripts/install.sh'), 'utf8'), /^bash scripts\/install-manual\.sh$/m);
  const root = tempDir('sg-manual-root-');
  for (let run = 0; run < 2; run++) {
    const r = await exec('bash', [join(repo, 'scripts/install-manual.sh'), root], { timeoutMs: 20_000 });
    assert.equal(r.exitCode, 0, r.stderr);
  }
  const built = join(repo, 'dist/share');
  for (const [from, to] of [[MAN_PAGE, 'usr/local/share/man/man1/synguard.1'], [BASH_COMPLETION, 'usr/share/bash-completion/completions/synguard'], [ZSH_COMPLETION, 'usr/local/share/zsh/site-functions/_synguard']] as const) {
    assert.equal(readFileSync(join(root, to), 'utf8'), readFileSync(join(built, from), 'utf8'), to);
  }
}));
