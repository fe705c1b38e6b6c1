// The kernel's first line: installs the SYN-rate meter, keeps its allow-list, reads its small sets, lifts its drops.
import { meterElements, type MeterSample } from '../observe/meter.js';
import { NftRunner, type NftOptions } from './nft-run.js';
import { NftSession } from './nft-session.js';
import { TABLE, legacyStatements } from './nft-script.js';
import { METER_SETS, allowStatements, liftStatements, meterScript, removeMeterScript, type MeterOptions } from './meter-script.js';

import type { Config } from '../config/schema.js';

export type { MeterOptions } from './meter-script.js';

/** The meter's options from the config; count-only in dry-run; the proven limit in force only under attack. */
export function meterOptions(config: Config, dryRun: boolean, underAttack = false): MeterOptions {
  const m = config.detection.synRate;
  return {
    perSource: m.perSource, burst: m.burst, perPrefix: m.perPrefix, prefixBurst: m.prefixBurst, proven: m.proven, capProven: underAttack,
    holdMs: m.hold, size: m.size, prefixes: config.prefixes, countOnly: dryRun,
  };
}

export class NftMeter {
  private readonly nft: NftRunner;
  private readonly session: NftSession;
  private opts: MeterOptions | null = null;
  private allowKey = '';

  constructor(opts: NftOptions = {}) {
    this.nft = new NftRunner(opts);
    this.session = new NftSession(opts.netns ? { netns: opts.netns } : {});
  }

  /**
   * Installs (or re-installs with new limits) the meter and its allow-list, in one transaction; the first install also
   * removes the base chain an older version left (legacyStatements).
   */
  async install(o: MeterOptions, allow: readonly string[]): Promise<void> {
    const legacy = this.opts === null ? legacyStatements() : [];
    await this.nft.apply(`${meterScript(o)}${[...legacy, ...allowStatements(allow)].join('\n')}\n`);
    this.opts = o;
    this.allowKey = allow.join(',');
  }

  /** Replaces the kernel's allow-list when it changed (own addresses, SSH peers and gateways come and go). */
  async allow(allow: readonly string[]): Promise<void> {
    const key = allow.join(',');
    if (key === this.allowKey) return;
    await this.nft.apply(`${allowStatements(allow).join('\n')}\n`);
    this.allowKey = key;
  }

  /** The three small sets of both families, in one round trip; null when the meter is not installed. */
  async read(now: number, prefixes: MeterOptions['prefixes'] = this.opts?.prefixes ?? { ipv4: 24, ipv6: 64 }): Promise<MeterSample | null> {
    const names = Object.values(METER_SETS).flatMap((s) => [s[4], s[6]]);
    const listing = await this.session.listSets(TABLE, names);
    if (listing.size === 0) return null;
    const pick = (set: { 4: string; 6: string }, prefix: boolean) =>
      ([4, 6] as const).flatMap((f) => meterElements(listing.get(set[f]), now, prefix ? (f === 4 ? prefixes.ipv4 : prefixes.ipv6) : undefined));
    return { takenAt: now, hosts: pick(METER_SETS.host, false), prefixes: pick(METER_SETS.prefix, true), busy: pick(METER_SETS.busy, false) };
  }

  /**
   * For one look (`synguard status`): first one short `nft -j list set`, 4–18 ms, which on a host without the meter
   * is the whole answer; `nft -i`, which the session keeps for the daemon's every tick, takes 30–90 ms just to start.
   */
  async readOnce(now: number, prefixes?: MeterOptions['prefixes']): Promise<MeterSample | null> {
    if ((await this.nft.query(['-j', 'list', 'set', 'inet', TABLE, METER_SETS.host[4]])) === null) return null;
    return this.read(now, prefixes);
  }

  /** Lets these kernel-made drops go at once (the daemon refused to ban them). */
  async lift(values: readonly string[]): Promise<void> {
    const lines = liftStatements(values, this.opts?.prefixes ?? { ipv4: 24, ipv6: 64 });
    if (lines.length > 0) await this.nft.apply(`${lines.join('\n')}\n`);
  }

  /** Removes the meter's chains and sets; the ban sets stay. */
  async remove(): Promise<void> {
    await this.nft.apply(removeMeterScript(this.opts?.size ?? 65_536));
    this.opts = null;
    this.allowKey = '';
  }

  close(): void {
    this.session.close();
  }
}
