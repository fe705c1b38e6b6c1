// Test support: the one way a test skips. A test that needs root or a program says so with needs(). Outside CI (the
// CI variable unset or empty) a missing need skips the test and names what is missing; under CI it fails the test,
// because CI runs as root with every tool installed (scripts/install.sh --test) and a skip there hides a missing
// install step. Lint rejects every other skip (`skip:`, t.skip(), test.skip()) in test files.
import type { TestContext } from 'node:test';
import { onPath } from '../lab/tools.js';

/** What namespaces need: root and iproute2. */
export const NETNS: readonly string[] = ['root', 'ip'];
/** What a lab (createLab, withLab) needs. */
export const LAB: readonly string[] = [...NETNS, 'nft', 'sysctl'];
/** What a lab with floods in it needs. */
export const FLOODS: readonly string[] = [...LAB, 'hping3', 'python3'];

export interface NeedsEnv {
  readonly uid: number | undefined;
  /** The CI environment variable. */
  readonly ci: string | undefined;
  readonly has: (program: string) => boolean;
}

export type NeedsVerdict = { readonly run: true } | { readonly skip: string } | { readonly fail: string };

/** Whether a test that needs `what` ('root', or programs that must be on PATH) runs, skips (why) or fails (why). */
export function needsVerdict(what: readonly string[], env: NeedsEnv): NeedsVerdict {
  const missing = [...new Set(what)].filter((n) => (n === 'root' ? env.uid !== 0 : !env.has(n)));
  if (missing.length === 0) return { run: true };
  const reason = `needs ${missing.map((n) => (n === 'root' ? 'root' : `${n} on PATH`)).join(', ')}`;
  if (env.ci) return { fail: `${reason}; under CI (CI=${env.ci}) a test may not skip: run as root after scripts/install.sh --test` };
  return { skip: reason };
}

const realEnv = (): NeedsEnv => ({ uid: process.getuid?.(), ci: process.env['CI'], has: (p) => onPath(p) });

/** A test body that runs only when `what` is met: `test(name, needs(LAB, async () => { … }))`. */
export function needs(what: readonly string[], body: (t: TestContext) => unknown): (t: TestContext) => Promise<void> {
  return async (t) => {
    const verdict = needsVerdict(what, realEnv());
    if ('fail' in verdict) throw new Error(verdict.fail);
    if ('skip' in verdict) {
      t.skip(verdict.skip);
      return;
    }
    await body(t);
  };
}
