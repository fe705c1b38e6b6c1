// One long-lived `nft -j -i` for the reads the daemon makes every tick: a read then costs a netlink dump (about 1 ms)
// instead of starting a process. Commands go in one per line; each `list set` answers with one JSON line, an error
// goes to stderr. A `list tables` sent after each batch marks its end, since a failed command prints nothing.
import { createInterface } from 'node:readline';
import { spawnLong, type Spawned } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';

export interface SessionOptions {
  readonly netns?: string;
  readonly timeoutMs?: number;
}

/** The sets a batch listed, by name, as nft's JSON document; a set that does not exist is absent. */
export type Listing = ReadonlyMap<string, unknown>;

interface Waiting {
  readonly sets: Map<string, unknown>;
  readonly resolve: (listing: Listing) => void;
  readonly reject: (err: Error) => void;
}

export class NftSession {
  private proc: Spawned | null = null;
  private waiting: Waiting | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SessionOptions = {}) {}

  /** Lists these sets of `inet <table>` in one round trip; batches run one after another. */
  listSets(table: string, sets: readonly string[]): Promise<Listing> {
    const run = this.queue.then(() => this.batch(sets.map((s) => `list set inet ${table} ${s}`)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the nft process (it is started again by the next read). */
  close(): void {
    const p = this.proc;
    this.proc = null;
    p?.child.stdin?.end();
    p?.child.kill('SIGTERM');
  }

  private start(): Spawned {
    const p = spawnLong('nft', ['-j', '-i'], this.opts.netns ? { netns: this.opts.netns } : {});
    p.child.stdin?.on('error', () => undefined);
    createInterface({ input: p.child.stdout! }).on('line', (line) => this.onLine(line));
    p.child.stderr?.resume(); // errors (a set that does not exist) are seen as missing sets
    void p.exited.then(() => {
      if (this.proc === p) this.proc = null;
      this.fail(new SynguardError('exec', 'nft -i ended unexpectedly (is nftables installed?)'));
    });
    return p;
  }

  private batch(commands: readonly string[]): Promise<Listing> {
    this.proc ??= this.start();
    const proc = this.proc;
    return new Promise<Listing>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new SynguardError('exec', `nft -i did not answer within ${this.opts.timeoutMs ?? 5000} ms`));
        if (this.proc === proc) this.close();
      }, this.opts.timeoutMs ?? 5000);
      this.waiting = {
        sets: new Map(),
        resolve: (l) => { clearTimeout(timer); resolve(l); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      proc.child.stdin?.write(`${[...commands, 'list tables'].join('\n')}\n`);
    });
  }

  private onLine(line: string): void {
    const w = this.waiting;
    if (!w) return;
    let doc: { nftables?: unknown };
    try {
      doc = JSON.parse(line) as { nftables?: unknown };
    } catch {
      return; // not one of ours
    }
    const items = Array.isArray(doc.nftables) ? (doc.nftables as unknown[]) : [];
    const set = items.map((i) => (i as { set?: { name?: unknown } } | null)?.set).find((s) => s && typeof s.name === 'string');
    if (set) {
      w.sets.set(set.name as string, doc);
      return;
    }
    this.waiting = null; // the `list tables` marker: every command before it has answered
    w.resolve(w.sets);
  }

  private fail(err: Error): void {
    const w = this.waiting;
    this.waiting = null;
    w?.reject(err);
  }
}
