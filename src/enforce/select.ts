// Picks the enforcement backend: the preferred one when it can run here, else the route backend with a warning saying so.
import type { Exec } from '../core/exec.js';
import { SynguardError } from '../core/errors.js';
import { DryRunEnforcer } from './dry-run.js';
import { IpsetEnforcer } from './ipset.js';
import { NftablesEnforcer } from './nftables.js';
import { RouteEnforcer } from './route.js';
import type { RouteType } from './route-script.js';
import type { BackendName, Enforcer } from './types.js';

export interface SelectOptions {
  readonly exec?: Exec;
  readonly netns?: string;
  readonly routeType?: RouteType;
  /** Where dry-run writes its lines. */
  readonly log?: (line: string) => void;
}

export interface Selected {
  readonly enforcer: Enforcer;
  /** Set when the preferred backend could not run and another was chosen. */
  readonly warning?: string;
}

export function createEnforcer(name: BackendName, opts: SelectOptions = {}): Enforcer {
  const base = { ...(opts.exec ? { exec: opts.exec } : {}), ...(opts.netns ? { netns: opts.netns } : {}) };
  switch (name) {
    case 'nftables':
      return new NftablesEnforcer(base);
    case 'route':
      return new RouteEnforcer({ ...base, ...(opts.routeType ? { type: opts.routeType } : {}) });
    case 'ipset':
      return new IpsetEnforcer(base);
    case 'dry-run':
      return new DryRunEnforcer(opts.log ?? ((line) => console.log(line)));
  }
}

/** The preferred backend if check() passes; otherwise route (iproute2 only), with a warning; throws if neither can run. */
export async function selectEnforcer(preferred: BackendName, opts: SelectOptions = {}): Promise<Selected> {
  const first = createEnforcer(preferred, opts);
  const checked = await first.check();
  if (checked.ok) return { enforcer: first };
  if (preferred === 'route') throw new SynguardError('missing-tool', `the route backend cannot run: ${checked.detail ?? 'unknown reason'}`);
  const fallback = createEnforcer('route', opts);
  const fb = await fallback.check();
  if (!fb.ok) {
    throw new SynguardError('missing-tool', `no backend can run: ${preferred}: ${checked.detail ?? '?'}; route: ${fb.detail ?? '?'}`);
  }
  return {
    enforcer: fallback,
    warning: `the ${preferred} backend cannot run (${checked.detail ?? 'unknown reason'}); falling back to route blackholes`,
  };
}
