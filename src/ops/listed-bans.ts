// What `synguard bans` and GET /bans list: the active bans, then a dry run's decisions. Apart from the ban use cases
// so that `bans` loads no policy code.
import type { DecisionRecord, ListedBan, Store } from '../store/index.js';

/** The active bans, then a dry run's decisions (flagged dryRun): what `bans` and GET /bans list. */
export function listedBans(store: Store, now: number): DecisionRecord[] {
  const real = store.decisions.active(now);
  const dry = store.decisions.active(now, true);
  return dry.length === 0 ? real : [...real, ...dry];
}

/** The same list read a page at a time from the store, for a reader that writes each one out (`bans --json`). */
export function* streamedBans(store: Store, now: number): Generator<ListedBan> {
  yield* store.decisions.iterateActive(now);
  yield* store.decisions.iterateActive(now, true);
}
