// Fuzz: CLI argv. Random command lines built from the real command tree (commands, their options, random values) are
// parsed by the real program with every action replaced by a no-op: nothing runs, nothing touches the kernel. A
// command line is accepted, or refused with commander's usage error (exit 2) or a SynguardError (one line); anything
// else would print "unexpected error". The actions' own validation is covered by their tests (src/cli/*.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, CommanderError } from 'commander';
import fc from 'fast-check';
import { SynguardError } from '../core/errors.js';
import { buildProgram } from '../cli/program.js';
import { checkAsync } from './runs.js';

const all = (cmd: Command): Command[] => cmd.commands.flatMap((c) => [c, ...all(c)]);

/** The program with every action a no-op and its output swallowed. */
async function inert(): Promise<Command> {
  const program = await buildProgram();
  const quiet = { writeOut: () => undefined, writeErr: () => undefined };
  program.configureOutput(quiet);
  for (const cmd of all(program)) {
    cmd.configureOutput(quiet);
    if (cmd.commands.length === 0) cmd.action(() => undefined);
  }
  return program;
}

const tree = await inert();
const NAMES = all(tree).map((c) => c.name());
const FLAGS = [...new Set([tree, ...all(tree)].flatMap((c) => c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined))))];
const token = fc.oneof(
  fc.constantFrom(...NAMES), fc.constantFrom(...FLAGS), fc.constantFrom(...FLAGS).map((f) => `${f}=`),
  fc.constantFrom('--', '-', '', '--help', '-h', '--version', '1h', '0', '-1', '99999999999999999999', '198.18.0.1', '::ffff:127.0.0.1', '0.0.0.0/0', '010.1.1.1', '/dev/null', '/proc/self', 'a=b', '--json'),
  fc.string({ maxLength: 20 }),
);

test('fuzz: CLI argv: accepted, or refused with a usage error or one line; never anything else', async () => {
  assert.ok(NAMES.includes('ban') && FLAGS.includes('--json'), 'the tree was read');
  let usage = 0;
  await checkAsync('CLI argv', fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (argv) => {
    try {
      await (await inert()).parseAsync(['node', 'synguard', ...argv]);
    } catch (err) {
      if (err instanceof CommanderError) { usage++; return; }
      assert.ok(err instanceof SynguardError, `${JSON.stringify(argv)}: ${String(err)}`);
      assert.doesNotMatch(err.message, /\n/);
    }
  }), 2000);
  assert.ok(usage > 0, 'some command lines were refused');
});
