// Decisions are records: what synguard decided about an address or prefix, why, and until when.
// They are stored before they are applied, and the kernel state is reconciled against them.

export type Scope = 'ip' | 'prefix';
/**
 * auto: the daemon's detection; kernel: the SYN-rate meter dropped it first, the daemon confirmed it; manual: an
 * operator; crowdsec: pulled from a CrowdSec Local API (docs/fleet.md).
 */
export type Origin = 'auto' | 'manual' | 'kernel' | 'crowdsec';
export type Action = 'ban';

export interface Decision {
  /** Store row id; absent before the decision is saved. */
  readonly id?: number;
  readonly scope: Scope;
  /** Canonical CIDR text: `198.51.100.7/32`, `203.0.113.0/24`, `2001:db8::5/128`, `2001:db8:1::/64`. */
  readonly value: string;
  readonly action: Action;
  readonly reason: string;
  readonly evidence: readonly string[];
  readonly origin: Origin;
  /** ms since the epoch. */
  readonly createdAt: number;
  /** ms since the epoch; the ban ends then, in the store and (through set timeouts) in the kernel. */
  readonly until: number;
  /** 1 for a first offence; a repeat offender's ban grows with each return. */
  readonly offence: number;  /** Made by a dry run (`defender.dryRun`, `run --dry-run`): stored and shown for review, never enforced. */
  readonly dryRun?: boolean;
}

/** What an enforcer needs to know about one ban. */
export interface Ban {
  /** Canonical CIDR text, as in Decision.value. */
  readonly value: string;
  readonly family: 4 | 6;
  /** ms since the epoch. */
  readonly until: number;
}
