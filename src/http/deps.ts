// What the HTTP layer is built from: the daemon's state, given as values and functions so tests pass their own.
import type { Config } from '../config/schema.js';
import type { AllowList } from '../decide/index.js';
import type { StatusReport } from '../detect/report.js';
import type { EventBus } from '../bus/events.js';
import type { Store } from '../store/index.js';
import type { UpstreamStatus } from '../upstream/controller.js';

export interface HttpDeps {
  /** The latest status report (what `status --json` prints); null before the second sample. */
  status(): StatusReport | null;
  readonly store: Store;
  /** The daemon's live events (ticks, attacks, bans, hardening); absent in tests that do not need them. */
  readonly events?: EventBus;
  /** The allow-list in force now: manual bans overlapping it are refused. */
  allow(): AllowList;
  readonly config: Config;
  /** Bearer token for mutating endpoints (loadToken); empty means mutations are always refused. */
  readonly token: string;
  now(): number;
  /** The upstream (BGP) controller's live state, when it runs in this process. */
  upstream?(): UpstreamStatus | null;
  /** Called after a ban or unban is stored, so the daemon can apply it before its next tick. */
  onChange?(): void;
  /** Where internal errors are reported (they answer 500 without details). */
  log?(line: string): void;
}
