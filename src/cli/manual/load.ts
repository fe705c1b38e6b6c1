// The real command tree: imports the CLI's entry point with parsing switched off, so nothing is run and nothing
// is listed twice (main.ts builds the tree; this reads what it built, or calls its exported buildProgram if it has
// one). An ES module runs once, so the tree is kept.
import { Command } from 'commander';

let loaded: Promise<Command> | null = null;

/** The `synguard` program exactly as main.ts builds it, without running any command. */
export function loadProgram(): Promise<Command> {
  loaded ??= capture();
  return loaded;
}

async function capture(): Promise<Command> {
  const proto = Command.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'parseAsync');
  if (!original) throw new Error('commander has no Command.prototype.parseAsync');
  const built: Command[] = [];
  proto.parseAsync = function (this: Command): Promise<Command> {
    built.push(this);
    return Promise.resolve(this);
  };
  const exitCode = process.exitCode;
  try {
    const main: Record<string, unknown> = await import('../main.js');
    // Should main.ts one day export its builder (and run only as the entry point), use that instead.
    const build = main['buildProgram'];
    if (typeof build === 'function') return (build as () => Command)();
  } finally {
    Object.defineProperty(proto, 'parseAsync', original);
    process.exitCode = exitCode;
  }
  const program = built[0];
  if (!program) throw new Error('main.js built no program');
  return program;
}
