// The CrowdSec Local API's JSON, as far as synguard uses it (LAPI 1.4: pkg/models/localapi_swagger.yaml).

/** A decision as the LAPI and its bouncers exchange it. `duration` is the remaining time, a Go duration string. */
export interface LapiDecision {
  readonly id?: number;
  readonly origin: string;
  readonly type: string;
  readonly scope: string;
  readonly value: string;
  readonly duration: string;
  readonly scenario: string;
  readonly simulated?: boolean;
}

export interface MetaItem {
  readonly key: string;
  readonly value: string;
}

export interface Alert {
  readonly id?: number;
  readonly scenario: string;
  readonly scenario_hash: string;
  readonly scenario_version: string;
  readonly message: string;
  readonly events_count: number;
  readonly start_at: string;
  readonly stop_at: string;
  readonly capacity: number;
  readonly leakspeed: string;
  readonly simulated: boolean;
  readonly remediation?: boolean;
  readonly events: ReadonlyArray<{ readonly timestamp: string; readonly meta: readonly MetaItem[] }>;
  readonly source: { readonly scope: string; readonly value: string; readonly ip?: string; readonly range?: string };
  readonly decisions?: readonly LapiDecision[];
  readonly meta?: readonly MetaItem[];
  readonly labels?: readonly string[] | null;
}

export interface StreamReply {
  readonly new: readonly LapiDecision[];
  readonly deleted: readonly LapiDecision[];
}
