// The ban use cases, one function each, shared by the CLI (store path) and the HTTP API: a ban by hand (validated,
// escalated by past offences, refused on the allow-list, stored) and an unban (every active ban on the value ended).
import type { Config } from '../config/schema.js';
import type { AllowList } from '../decide/allow-list.js';
import { manualBan, manualUnbanValue } from '../decide/index.js';
import type { DecisionRecord, Store } from '../store/index.js';

export interface BanRequest {
  /** ADDR or ADDR/LEN as typed (any accepted form: it is made canonical). */
  readonly target: string;
  /** A duration such as 30s, 10m, 2h, 7d; defender.bans.manual when absent. */
  readonly for?: string | undefined;
  readonly reason?: string | undefined;
}

export interface BanDeps {
  readonly store: Store;
  readonly config: Config;
  readonly allow: AllowList;
  readonly now: number;
}

/** Validates and stores a ban by hand; throws SynguardError('input') with manualBan's message when refused. */
export function banByHand(deps: BanDeps, request: BanRequest): DecisionRecord {
  const value = manualUnbanValue(request.target); // canonical form, for the offence count; throws on malformed input
  const offences = deps.store.decisions.offences([value], deps.now, deps.config.defender.bans.memory).get(value) ?? 0;
  const decision = manualBan(
    { target: request.target, ...(request.for ? { for: request.for } : {}), ...(request.reason ? { reason: request.reason } : {}) },
    { allow: deps.allow, config: deps.config, now: deps.now, offences },
  );
  return deps.store.decisions.insert(decision);
}

/** Ends every active ban on exactly this value (canonical CIDR text); none ended means there was none. */
export function unbanByHand(deps: { readonly store: Store; readonly now: number }, value: string, by: string): DecisionRecord[] {
  return deps.store.decisions.endValue(value, { now: deps.now, by, kind: 'unban' });
}

/** The active bans, then a dry run's decisions (flagged dryRun): what `bans` and GET /bans list. */
export function listedBans(store: Store, now: number): DecisionRecord[] {
  const real = store.decisions.active(now);
  const dry = store.decisions.active(now, true);
  return dry.length === 0 ? real : [...real, ...dry];
}
