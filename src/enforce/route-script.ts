// Pure command text for the route backend: `ip -batch` lines tagged with synguard's own routing protocol number.
import { normalizeAddress } from '../core/address.js';
import type { Change } from './buffer.js';

/** Routing protocol number that marks synguard's routes (0x5b; unused in /etc/iproute2/rt_protos), so list/flush never touch others. */
export const RT_PROTO = 91;
export type RouteType = 'blackhole' | 'unreachable' | 'prohibit';

export interface RoutePlan {
  readonly adds: readonly string[];
  readonly deletes: readonly string[];
}

/** What to change given the kernel's current synguard routes: no kernel expiry, so a present ban needs nothing. */
export function routePlan(current: ReadonlySet<string>, changes: readonly Change[], now: number): RoutePlan {
  const adds: string[] = [];
  const deletes: string[] = [];
  for (const c of changes) {
    const wanted = c.until !== null && c.until > now;
    if (wanted && !current.has(c.value)) adds.push(c.value);
    if (!wanted && current.has(c.value)) deletes.push(c.value);
  }
  return { adds, deletes };
}

export function routeLines(type: RouteType, plan: RoutePlan): string[] {
  return [
    ...plan.deletes.map((v) => `route del ${type} ${v} proto ${RT_PROTO}`),
    ...plan.adds.map((v) => `route add ${type} ${v} proto ${RT_PROTO}`),
  ];
}

/** The inverse of a plan, for rolling back the part of it that was applied. */
export function undoPlan(plan: RoutePlan): RoutePlan {
  return { adds: plan.deletes, deletes: plan.adds };
}

/** Canonical CIDR values from `ip -j route show proto N` (hosts print without a length). */
export function parseRouteJson(json: string): string[] {
  const rows = JSON.parse(json || '[]') as unknown;
  if (!Array.isArray(rows)) return [];
  const out: string[] = [];
  for (const row of rows as { dst?: unknown }[]) {
    if (typeof row.dst !== 'string' || row.dst === 'default') continue;
    const [addr = '', len] = row.dst.split('/');
    const norm = normalizeAddress(addr);
    if (norm === null) continue;
    out.push(`${norm}/${len ?? (norm.includes(':') ? 128 : 32)}`);
  }
  return out;
}
