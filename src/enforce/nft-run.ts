// Runs nft (arguments as an array, scripts on stdin) and turns its failures into short SynguardErrors.
import { exec as realExec, type Exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';

export interface NftOptions {
  readonly exec?: Exec;
  /** Run inside this network namespace (tests); the daemon normally runs inside it already. */
  readonly netns?: string;
}

/** nft echoes the whole offending statement, which for a 100k-element batch is megabytes: keep the error lines, cut. */
export function nftErrorSummary(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => /error/i.test(l));
  const picked = (lines.length > 0 ? lines : stderr.split('\n').filter(Boolean)).slice(0, 3);
  return picked.map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l)).join(' / ') || 'no error text';
}

export class NftRunner {
  private readonly run: Exec;
  constructor(private readonly opts: NftOptions = {}) {
    this.run = opts.exec ?? realExec;
  }

  private base(input?: string): { netns?: string; input?: string; timeoutMs: number } {
    return { ...(this.opts.netns ? { netns: this.opts.netns } : {}), ...(input !== undefined ? { input } : {}), timeoutMs: 120_000 };
  }

  /** Applies a script as one transaction (`nft -f -`); all of it or none of it. */
  async apply(script: string): Promise<void> {
    const r = await this.run('nft', ['-f', '-'], this.base(script));
    if (r.spawnError === 'ENOENT') throw new SynguardError('missing-tool', 'nft is not installed (Debian package: nftables)');
    if (r.failed) throw new SynguardError('exec', `nft transaction failed, nothing applied: ${nftErrorSummary(r.stderr)}`);
  }

  /** Runs an nft command and returns stdout, or null when the object does not exist. */
  async query(args: readonly string[]): Promise<string | null> {
    const r = await this.run('nft', args, this.base());
    if (r.spawnError === 'ENOENT') throw new SynguardError('missing-tool', 'nft is not installed (Debian package: nftables)');
    if (r.failed) {
      if (/No such file or directory/.test(r.stderr)) return null;
      throw new SynguardError('exec', `nft ${args.join(' ')} failed: ${nftErrorSummary(r.stderr)}`);
    }
    return r.stdout;
  }

  /** Raw result, for check(). */
  raw(args: readonly string[]): ReturnType<Exec> {
    return this.run('nft', args, this.base());
  }
}
