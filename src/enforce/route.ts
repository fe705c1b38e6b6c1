// The route backend, needing nothing beyond iproute2: one blackhole (or unreachable/prohibit) route per ban, tagged proto 91.
import { exec as realExec, type Exec, type ExecOptions } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import type { Ban } from '../core/decision.js';
import { ChangeBuffer } from './buffer.js';
import { RT_PROTO, parseRouteJson, routeLines, routePlan, undoPlan, type RoutePlan, type RouteType } from './route-script.js';
import type { CheckResult, CommitResult, Enforcer, KernelBan } from './types.js';

export interface RouteOptions {
  readonly exec?: Exec;
  readonly netns?: string;
  readonly type?: RouteType;
}

function stderrLine(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' / ').slice(0, 300) || 'no error text';
}

/**
 * Routes have no kernel expiry: list() reports until null and the daemon deletes expired bans itself.
 * commit() is all-or-nothing as far as iproute2 allows: `ip -batch -` stops at the first failing line, so on failure
 * the lines already applied are undone (with -force), and the buffer is kept for the next try.
 */
export class RouteEnforcer implements Enforcer {
  readonly name = 'route' as const;
  readonly kernelExpires = false;
  readonly enforces = true;
  readonly supportsMeter = false;
  private readonly run: Exec;
  private readonly type: RouteType;
  private readonly buffer = new ChangeBuffer();

  constructor(private readonly opts: RouteOptions = {}) {
    this.run = opts.exec ?? realExec;
    this.type = opts.type ?? 'blackhole';
  }

  private options(input?: string): ExecOptions {
    return { ...(this.opts.netns ? { netns: this.opts.netns } : {}), ...(input !== undefined ? { input } : {}), timeoutMs: 120_000 };
  }

  async check(): Promise<CheckResult> {
    const r = await this.run('ip', ['-j', 'route', 'show', 'proto', String(RT_PROTO)], this.options());
    if (r.spawnError) return { ok: false, detail: 'ip is not installed: apt-get install iproute2' };
    if (r.failed) return { ok: false, detail: `ip route cannot reach the kernel: ${stderrLine(r.stderr)}` };
    return { ok: true };
  }

  async init(): Promise<void> {}

  add(ban: Ban): void {
    this.buffer.add(ban);
  }

  delete(value: string): void {
    this.buffer.delete(value);
  }

  private async batch(lines: readonly string[], force: boolean): Promise<string | null> {
    if (lines.length === 0) return null;
    const r = await this.run('ip', [...(force ? ['-force'] : []), '-batch', '-'], this.options(`${lines.join('\n')}\n`));
    if (r.spawnError) throw new SynguardError('missing-tool', 'ip is not installed (Debian package: iproute2)');
    return r.failed ? stderrLine(r.stderr) : null;
  }

  async commit(now: number): Promise<CommitResult> {
    const changes = this.buffer.take();
    if (changes.length === 0) return { added: 0, deleted: 0 };
    let plan: RoutePlan;
    try {
      const before = new Set((await this.list(now)).map((b) => b.value));
      plan = routePlan(before, changes, now);
      const error = await this.batch(routeLines(this.type, plan), false);
      if (error !== null) {
        await this.rollback(plan, before, now);
        throw new SynguardError('exec', `ip route batch failed, rolled back: ${error}`);
      }
    } catch (err) {
      this.buffer.restore(changes);
      throw err;
    }
    return { added: plan.adds.length, deleted: plan.deletes.length };
  }

  /** Undoes the applied part of a failed plan: routes added by it are deleted, routes it deleted come back. */
  private async rollback(plan: RoutePlan, before: ReadonlySet<string>, now: number): Promise<void> {
    const after = new Set((await this.list(now)).map((b) => b.value));
    const undo = undoPlan(plan);
    const applied: RoutePlan = {
      adds: undo.adds.filter((v) => before.has(v) && !after.has(v)),
      deletes: undo.deletes.filter((v) => !before.has(v) && after.has(v)),
    };
    await this.batch(routeLines(this.type, applied), true);
  }

  async list(_now: number): Promise<KernelBan[]> {
    const values: string[] = [];
    for (const family of ['-4', '-6']) {
      const r = await this.run('ip', ['-j', family, 'route', 'show', 'table', 'main', 'proto', String(RT_PROTO)], this.options());
      if (r.spawnError) throw new SynguardError('missing-tool', 'ip is not installed (Debian package: iproute2)');
      if (r.failed) throw new SynguardError('exec', `ip route show failed: ${stderrLine(r.stderr)}`);
      values.push(...parseRouteJson(r.stdout));
    }
    return values.map((value) => ({ value, until: null }));
  }

  async flush(): Promise<void> {
    const values = (await this.list(0)).map((b) => b.value);
    await this.batch(routeLines(this.type, { adds: [], deletes: values }).map((l) => l.replace(` ${this.type} `, ' ')), true);
    const left = await this.list(0);
    if (left.length > 0) throw new SynguardError('exec', `ip route flush left ${left.length} synguard routes (e.g. ${left[0]?.value ?? ''})`);
    this.buffer.clear();
  }

  shutdown(): Promise<void> {
    return this.flush();
  }
}
