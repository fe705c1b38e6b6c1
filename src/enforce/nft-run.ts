// Runs nft (arguments as an array, scripts on stdin) and turns its failures into short SynguardErrors.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive } from '../core/alive.js';
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

const BATCH_DIR = /^synguard-nft-(\d+)-/;
let swept = false;

/** Batch directories of synguard processes killed before they removed them (kill -9 mid-commit): once a process. */
function sweepStale(dir: string): void {
  if (swept) return;
  swept = true;
  try {
    for (const name of readdirSync(dir)) {
      const pid = Number(BATCH_DIR.exec(name)?.[1] ?? NaN);
      if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(dir, name), { recursive: true, force: true });
    }
  } catch {
    // best effort: a leftover costs a few megabytes of temporary space
  }
}

export class NftRunner {
  private readonly run: Exec;
  constructor(private readonly opts: NftOptions = {}) {
    this.run = opts.exec ?? realExec;
  }

  private base(input?: string): { netns?: string; input?: string; timeoutMs: number } {
    return { ...(this.opts.netns ? { netns: this.opts.netns } : {}), ...(input !== undefined ? { input } : {}), timeoutMs: 120_000 };
  }

  /**
   * Applies a script as one transaction: all of it or none of it. nft reads it from a complete file (in a private
   * directory, removed after), never from a pipe: a daemon killed while writing into a pipe would leave nft an input
   * cut short, and a cut between two statements is a valid, smaller script. Killed while writing the file, nft never
   * starts; killed after, the orphaned nft applies the whole of it.
   */
  async apply(script: string): Promise<void> {
    sweepStale(tmpdir());
    const dir = mkdtempSync(join(tmpdir(), `synguard-nft-${process.pid}-`));
    try {
      const file = join(dir, 'batch.nft');
      writeFileSync(file, script, { mode: 0o600 });
      const r = await this.run('nft', ['-f', file], this.base());
      if (r.spawnError === 'ENOENT') throw new SynguardError('missing-tool', 'nft is not installed (Debian package: nftables)');
      if (r.failed) throw new SynguardError('exec', `nft transaction failed, nothing applied: ${nftErrorSummary(r.stderr)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
