// The legacy backend: ipset hash:net sets with timeouts, matched by one iptables/ip6tables rule in raw PREROUTING.
import { exec as realExec, type Exec, type ExecOptions, type ExecResult } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import type { Ban } from '../core/decision.js';
import { ChangeBuffer } from './buffer.js';
import { IPSET, createArgs, parseIpsetSave, restoreLines, ruleArgs } from './ipset-script.js';
import type { CheckResult, CommitResult, Enforcer, KernelBan } from './types.js';

export interface IpsetOptions {
  readonly exec?: Exec;
  readonly netns?: string;
}

const TABLES = { 4: 'iptables', 6: 'ip6tables' } as const;
const PACKAGE: Record<string, string> = { ipset: 'ipset', iptables: 'iptables', ip6tables: 'iptables' };

/**
 * `ipset restore` is not a transaction: it stops at the first bad line. Every line is built from parsed CIDRs and
 * bounded timeouts, and with -exist neither a duplicate add nor a missing del is an error, so a failure means the
 * kernel refused (set full, no permission); what was applied stays, and the whole buffer is retried next commit
 * (re-adding and re-deleting are idempotent), so the state converges.
 */
export class IpsetEnforcer implements Enforcer {
  readonly name = 'ipset' as const;
  readonly kernelExpires = true;
  readonly enforces = true;
  readonly supportsMeter = false;
  private readonly run: Exec;
  private readonly buffer = new ChangeBuffer();

  constructor(private readonly opts: IpsetOptions = {}) {
    this.run = opts.exec ?? realExec;
  }

  private async cmd(file: string, args: readonly string[], input?: string): Promise<ExecResult> {
    const o: ExecOptions = { ...(this.opts.netns ? { netns: this.opts.netns } : {}), ...(input !== undefined ? { input } : {}), timeoutMs: 120_000 };
    const r = await this.run(file, args, o);
    if (r.spawnError === 'ENOENT') throw new SynguardError('missing-tool', `${file} is not installed: apt-get install ${PACKAGE[file] ?? file}`);
    return r;
  }

  private async must(file: string, args: readonly string[], input?: string): Promise<string> {
    const r = await this.cmd(file, args, input);
    if (r.failed) throw new SynguardError('exec', `${file} ${args.slice(0, 3).join(' ')} failed: ${r.stderr.trim().slice(0, 300)}`);
    return r.stdout;
  }

  async check(): Promise<CheckResult> {
    try {
      await this.must('ipset', ['list', '-n']);
      for (const t of Object.values(TABLES)) await this.must(t, ['-t', 'raw', '-S', 'PREROUTING']);
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  async init(): Promise<void> {
    for (const f of [4, 6] as const) {
      await this.must('ipset', createArgs(f));
      const present = await this.cmd(TABLES[f], ['-t', 'raw', '-C', 'PREROUTING', ...ruleArgs(f)]);
      if (present.failed) await this.must(TABLES[f], ['-t', 'raw', '-I', 'PREROUTING', '1', ...ruleArgs(f)]);
    }
  }

  add(ban: Ban): void {
    this.buffer.add(ban);
  }

  delete(value: string): void {
    this.buffer.delete(value);
  }

  async commit(now: number): Promise<CommitResult> {
    const changes = this.buffer.take();
    if (changes.length === 0) return { added: 0, deleted: 0 };
    const lines = restoreLines(changes, now);
    try {
      await this.must('ipset', ['-exist', 'restore'], `${lines.join('\n')}\n`);
    } catch (err) {
      this.buffer.restore(changes);
      throw err;
    }
    const added = lines.filter((l) => l.startsWith('add ')).length;
    return { added, deleted: lines.length - added };
  }

  async list(now: number): Promise<KernelBan[]> {
    const out: KernelBan[] = [];
    for (const f of [4, 6] as const) {
      const r = await this.cmd('ipset', ['save', IPSET[f]]);
      if (!r.failed) out.push(...parseIpsetSave(r.stdout, now));
    }
    return out;
  }

  async flush(): Promise<void> {
    for (const f of [4, 6] as const) await this.cmd('ipset', ['flush', IPSET[f]]);
    this.buffer.clear();
  }

  /** Removes the rules (every copy), then the sets. */
  async shutdown(): Promise<void> {
    for (const f of [4, 6] as const) {
      for (let i = 0; i < 16; i++) {
        const r = await this.cmd(TABLES[f], ['-t', 'raw', '-D', 'PREROUTING', ...ruleArgs(f)]);
        if (r.failed) break;
      }
      const d = await this.cmd('ipset', ['destroy', IPSET[f]]);
      if (d.failed && !/does not exist/.test(d.stderr)) throw new SynguardError('exec', `ipset destroy ${IPSET[f]} failed: ${d.stderr.trim()}`);
    }
    this.buffer.clear();
  }
}
