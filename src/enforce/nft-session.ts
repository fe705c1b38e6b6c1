// One long-lived `nft -j -i` for the reads the daemon makes every tick: a read then costs a netlink dump (about 1 ms)
// instead of starting a process. Commands go in one per line; each `list set` answers with one JSON line on stdout, or
// one "Error:" on stderr (a set that does not exist), so a batch of N commands is done after N answers of either kind.
// (A `list tables` marker would be simpler, but it makes nft fetch every set during a flood: 45 ms against 1 ms.)
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
  /** Answers still due (JSON lines plus errors). */
  pending: number;
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
    // Lines by hand, not node:readline: it brings its terminal and history modules to the daemon (0.3 MB of RSS).
    let partial = '';
    p.child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      const end = d.lastIndexOf('\n');
      if (end < 0) {
        partial += d; // a long answer comes in many chunks: each is looked at once
        return;
      }
      const lines = (partial + d.slice(0, end)).split('\n');
      partial = d.slice(end + 1);
      for (const line of lines) this.onLine(line);
    });
    let errors = '';
    p.child.stderr?.on('data', (d: Buffer) => {
      // Each failed command prints one "Error:" (the lines after it point into the command): count them across chunks.
      errors += d.toString();
      const found = errors.split('Error:').length - 1;
      const last = errors.lastIndexOf('Error:');
      errors = last >= 0 ? errors.slice(last + 6) : errors.slice(-5); // what may be the start of a split marker
      for (let i = 0; i < found; i++) this.answered();
    });
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
        pending: commands.length,
        resolve: (l) => { clearTimeout(timer); resolve(l); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      proc.child.stdin?.write(`${commands.join('\n')}\n`);
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
    if (set) w.sets.set(set.name as string, doc);
    this.answered();
  }

  private answered(): void {
    const w = this.waiting;
    if (!w || --w.pending > 0) return;
    this.waiting = null;
    w.resolve(w.sets);
  }

  private fail(err: Error): void {
    const w = this.waiting;
    this.waiting = null;
    w?.reject(err);
  }
}
