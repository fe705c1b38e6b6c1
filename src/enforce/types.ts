// The one small contract every enforcement backend fulfils (nftables, route, ipset+iptables, dry-run).
// add() and delete() only buffer; commit() applies the buffer as one transaction, or nothing of it.
import type { Ban } from '../core/decision.js';

export type BackendName = 'nftables' | 'route' | 'ipset' | 'dry-run';

export interface CheckResult {
  readonly ok: boolean;
  /** Why the backend cannot run here (missing tool, no permission), in one line naming the Debian package. */
  readonly detail?: string;
}

export interface CommitResult {
  readonly added: number;
  readonly deleted: number;
}

/** A ban as the kernel holds it right now. `until` is null where the backend keeps no expiry (route). */
export interface KernelBan {
  readonly value: string;
  readonly until: number | null;
}

export interface Enforcer {
  readonly name: BackendName;
  /** Its kernel objects time out by themselves (nft set timeouts); otherwise the daemon removes expired bans. */
  readonly kernelExpires: boolean;
  /** It changes the kernel: false only for the dry-run backend, whose decisions are recorded flagged `dryRun`. */
  readonly enforces: boolean;
  /** The kernel's SYN-rate meter can run beside it (same nftables table). */
  readonly supportsMeter: boolean;
  /** Can this backend run here? Never throws. */
  check(): Promise<CheckResult>;
  /** Creates synguard's kernel objects idempotently (table, sets, chains). */
  init(): Promise<void>;
  /** Buffers a ban (replaces any buffered change for the same value). */
  add(ban: Ban): void;
  /** Buffers an unban. */
  delete(value: string): void;
  /**
   * Buffers an exemption: this address passes a prefix ban until `until` (a proven client inside a banned prefix).
   * Host bans still apply to it. Backends that cannot express it (route, ipset) leave it out.
   */
  spare?(address: string, until: number): void;
  /** Addresses inside `prefix` that completed a handshake with this host lately (at most `limit`); nftables only. */
  provenWithin?(prefix: string, limit: number): Promise<string[]>;
  /**
   * No ban in force: takes out what every packet would cross for nothing (nftables: the ban chain's rules; the next
   * commit writes them back with its bans). Resolves false, changing nothing, when the kernel still holds a ban.
   */
  rest?(now: number): Promise<boolean>;
  /** Applies the buffer in one transaction; on failure nothing is applied, the buffer is kept, and it throws. */
  commit(now: number): Promise<CommitResult>;
  /** The bans the kernel holds now (for start-up reconcile and `synguard bans` cross-checks). */
  list(now: number): Promise<KernelBan[]>;
  /** Removes every ban, keeping the kernel objects. */
  flush(): Promise<void>;
  /** Removes every trace of synguard from the kernel (table, sets, chains, routes). */
  shutdown(): Promise<void>;
}
