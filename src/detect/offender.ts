// An offender: a value (address or prefix) the detectors found over a ban threshold, with why. Its own file so that
// the detectors that produce offenders (tracker, syn-senders) and those that consume them import a leaf.

export interface Offender {
  /** Canonical CIDR text: an address as /32 or /128, or a prefix. */
  readonly value: string;
  readonly reason: string;
  readonly evidence: string[];
  /** 'kernel': the SYN-rate meter dropped it first (src/detect/syn-senders.ts). */
  readonly origin?: 'kernel';
}
