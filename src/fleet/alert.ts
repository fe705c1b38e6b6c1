// A stored decision as a CrowdSec alert carrying its decision (POST /v1/alerts), and back. Pure.
import type { Decision } from '../core/decision.js';
import { formatGoDuration } from './go-duration.js';
import type { Alert, MetaItem } from './protocol.js';

/** The origin of the decisions synguard publishes, as bouncers and `cscli decisions list` show it. */
export const PUSH_ORIGIN = 'synguard';
/** Meta key naming the publishing synguard and its decision: how a send after a crash is recognised as done. */
export const REF_KEY = 'synguard_ref';

/** The scenario of a decision: synguard/manual, synguard/connection-flood or synguard/syn-flood. */
export function scenarioOf(d: Pick<Decision, 'origin' | 'reason'>): string {
  if (d.origin === 'manual') return 'synguard/manual';
  return /connection flood/.test(d.reason) ? 'synguard/connection-flood' : 'synguard/syn-flood';
}

/** `198.51.100.7/32` → scope Ip, value 198.51.100.7; `203.0.113.0/24` → scope Range, value unchanged. */
export function lapiTarget(value: string): { scope: 'Ip' | 'Range'; value: string } {
  const [address = value, length] = value.split('/');
  const host = length === undefined || length === (address.includes(':') ? '128' : '32');
  return host ? { scope: 'Ip', value: address } : { scope: 'Range', value };
}

/** The alert for one stored decision at `now`: its remaining duration, its evidence in the message and meta, `ref`. */
export function alertFor(d: Decision & { readonly id: number }, ref: string, now: number): Alert {
  const target = lapiTarget(d.value);
  const scenario = scenarioOf(d);
  const at = new Date(Math.min(now, d.createdAt)).toISOString();
  const meta: MetaItem[] = [
    { key: REF_KEY, value: ref },
    { key: 'synguard_origin', value: d.origin },
    { key: 'synguard_offence', value: String(d.offence) },
    ...d.evidence.slice(0, 10).map((e, i) => ({ key: `evidence_${i + 1}`, value: e.slice(0, 500) })),
  ];
  return {
    scenario,
    scenario_hash: '',
    scenario_version: '1',
    message: `synguard ${d.origin} ban of ${d.value}: ${d.reason}`.slice(0, 1000),
    events_count: 1,
    start_at: at,
    stop_at: at,
    capacity: 0,
    leakspeed: '0',
    simulated: false,
    remediation: true,
    events: [{ timestamp: at, meta }],
    source: { ...target, ...(target.scope === 'Ip' ? { ip: target.value } : { range: target.value }) },
    meta,
    decisions: [{
      origin: PUSH_ORIGIN,
      type: 'ban',
      scope: target.scope,
      value: target.value,
      duration: formatGoDuration(Math.max(1000, Math.ceil((d.until - now) / 1000) * 1000)),
      scenario,
    }],
  };
}

/** The synguard_ref of an alert the LAPI returns, if any. */
export function refOf(alert: Pick<Alert, 'meta' | 'events'>): string | undefined {
  return alert.meta?.find((m) => m.key === REF_KEY)?.value ?? alert.events[0]?.meta.find((m) => m.key === REF_KEY)?.value;
}
