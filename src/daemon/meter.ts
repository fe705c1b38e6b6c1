// The daemon's side of the kernel meter: installed at start when the backend can hold it (count-only in dry-run),
// kept in step with the allow-list and SIGHUP, its proven limit put in force while an attack is on, and left in the
// kernel at stop, like the bans.
import type { Config } from '../config/schema.js';
import { NftMeter, meterOptions } from '../enforce/nft-meter.js';
import type { Enforcer } from '../enforce/types.js';
import type { MeterReader } from './meter-view.js';
import type { Log } from '../core/log.js';

/** What the tick reads (nothing while the meter is off: SIGHUP may switch it either way), and its upkeep. */
export interface DaemonMeter extends MeterReader {
  allow(entries: readonly string[]): Promise<void>;
  reconfigure(config: Config, allow: readonly string[]): Promise<void>;
  close(): void;
}

export interface MeterDeps {
  /** The backend (the dry-run one in a dry run: the meter is then count-only whatever `defender.backend` says). */
  readonly enforcer: Enforcer;
  readonly dryRun: boolean;
  readonly log: Log;
  readonly allow: readonly string[];
  /** Tests pass their own (a namespace); the daemon runs inside its namespace already. */
  readonly meter?: NftMeter;
}

/** Why the meter cannot run with this backend, or null when it can. */
function offReason(config: Config, deps: MeterDeps): string | null {
  if (!config.detection.synRate.enabled) return 'detection.synRate.enabled is false';
  if (!deps.dryRun && !deps.enforcer.supportsMeter) {
    return `the ${deps.enforcer.name} backend cannot hold it (it needs nftables); bans still come from the socket table each tick`;
  }
  return null;
}

export async function startMeter(config: Config, deps: MeterDeps): Promise<DaemonMeter> {
  const meter = deps.meter ?? new NftMeter();
  let on = false;
  let current = '';
  let underAttack = false;
  let last = { cfg: config, allow: deps.allow };
  const apply = async (cfg: Config, allow: readonly string[]): Promise<void> => {
    last = { cfg, allow };
    const why = offReason(cfg, deps);
    if (why !== null) {
      if (on) await meter.remove();
      if (on || current === '') deps.log('warn', 'meter-off', { reason: why });
      on = false;
      current = 'off';
      return;
    }
    const opts = meterOptions(cfg, deps.dryRun, underAttack);
    const key = JSON.stringify(opts);
    if (on && key === current) return;
    await meter.install(opts, allow);
    on = true;
    current = key;
    deps.log('info', 'meter', { ...opts, mode: deps.dryRun ? 'count-only (dry-run: nothing dropped)' : 'dropping' });
  };
  try {
    await apply(config, deps.allow);
  } catch (err) {
    deps.log('error', 'meter-failed', { error: (err as Error).message, effect: 'no kernel meter; bans still come from the socket table each tick' });
  }
  return {
    read: (now) => (on ? meter.read(now) : Promise.resolve(null)),
    lift: (values) => (on ? meter.lift(values) : Promise.resolve()),
    arm: async (attack) => {
      if (attack === underAttack) return;
      underAttack = attack;
      try {
        await apply(last.cfg, last.allow);
      } catch (err) {
        deps.log('error', 'meter-failed', { error: (err as Error).message, effect: attack ? 'proven sources are not held to detection.synRate.proven' : 'the proven limit stays in force' });
      }
    },
    allow: async (entries) => {
      last = { ...last, allow: entries };
      try {
        if (on) await meter.allow(entries);
      } catch (err) {
        deps.log('error', 'meter-allow-failed', { error: (err as Error).message, kept: 'the previous allow-list' });
      }
    },
    reconfigure: async (cfg, allow) => {
      try {
        await apply(cfg, allow);
      } catch (err) {
        deps.log('error', 'meter-failed', { error: (err as Error).message });
      }
    },
    close: () => meter.close(),
  };
}
