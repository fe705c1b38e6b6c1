// The dry-run backend: logs what it would do and applies nothing; it remembers its would-be state so list() is consistent.
import type { Ban } from '../core/decision.js';
import { ChangeBuffer } from './buffer.js';
import type { CheckResult, CommitResult, Enforcer, KernelBan } from './types.js';

export class DryRunEnforcer implements Enforcer {
  readonly name = 'dry-run' as const;
  readonly kernelExpires = true;
  readonly enforces = false;
  readonly supportsMeter = false;
  private readonly buffer = new ChangeBuffer();
  private readonly state = new Map<string, number>();

  constructor(private readonly log: (line: string) => void) {}

  check(): Promise<CheckResult> {
    return Promise.resolve({ ok: true });
  }

  init(): Promise<void> {
    this.log('dry-run: would create table inet synguard (nothing applied)');
    return Promise.resolve();
  }

  add(ban: Ban): void {
    this.buffer.add(ban);
  }

  delete(value: string): void {
    this.buffer.delete(value);
  }

  commit(now: number): Promise<CommitResult> {
    let added = 0;
    let deleted = 0;
    for (const c of this.buffer.take()) {
      if (c.until !== null && c.until > now) {
        this.log(`dry-run: would ban ${c.value} until ${new Date(c.until).toISOString()}`);
        this.state.set(c.value, c.until);
        added++;
      } else {
        this.log(`dry-run: would unban ${c.value}`);
        this.state.delete(c.value);
        deleted++;
      }
    }
    return Promise.resolve({ added, deleted });
  }

  list(now: number): Promise<KernelBan[]> {
    for (const [value, until] of this.state) if (until <= now) this.state.delete(value);
    return Promise.resolve([...this.state].map(([value, until]) => ({ value, until })));
  }

  flush(): Promise<void> {
    this.log(`dry-run: would remove all ${this.state.size} bans`);
    this.state.clear();
    this.buffer.clear();
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.log('dry-run: would delete table inet synguard and synguard routes');
    this.state.clear();
    this.buffer.clear();
    return Promise.resolve();
  }
}
