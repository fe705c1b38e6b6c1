// Optional kernel-side SYN-rate meter: sources over N SYN/s land in dynamic sets (with a timeout) and are dropped at line rate.
import { cidrText, parseCidr } from '../core/address.js';
import { SynguardError } from '../core/errors.js';
import { parseNftBans } from './nft-parse.js';
import { NftRunner, type NftOptions } from './nft-run.js';
import { TABLE } from './nft-script.js';
import type { KernelBan } from './types.js';

export interface MeterOptions {
  /** SYNs per second one source may send before it is metered out. */
  readonly synPerSecond: number;
  readonly burst: number;
  /** How long a metered source stays dropped. */
  readonly banMs: number;
  /** Never metered (the allow-list: loopback, own addresses, gateway, SSH peers, configured CIDRs). */
  readonly allow: readonly string[];
  /** Most sources tracked per family: a spoofed flood cannot grow the sets beyond this. */
  readonly size?: number;
}

export const METER_SETS: ReadonlySet<string> = new Set(['meter4', 'meter6']);

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new SynguardError('input', `meter ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * The meter as one idempotent transaction. It lives in its own base chain (prerouting, priority raw + 1), after the
 * ban chain, so re-initialising the ban chain never drops it. "meter" is an nft keyword, hence the chain name synrate.
 */
export function meterScript(o: MeterOptions): string {
  const rate = positive('synPerSecond', o.synPerSecond);
  const burst = positive('burst', o.burst);
  const banS = Math.max(1, Math.ceil(positive('banMs', o.banMs) / 1000));
  const size = positive('size', o.size ?? 65_536);
  const t = `inet ${TABLE}`;
  const allow = o.allow.map(parseCidr);
  const lines = [`add table ${t}`, `add chain ${t} synrate { type filter hook prerouting priority -299; policy accept; }`, `flush chain ${t} synrate`];
  for (const [f, ip, type] of [[4, 'ip', 'ipv4_addr'], [6, 'ip6', 'ipv6_addr']] as const) {
    lines.push(
      `add set ${t} allow${f} { type ${type}; flags interval; auto-merge; }`,
      `add set ${t} meter${f} { type ${type}; flags dynamic, timeout; size ${size}; }`,
      `add set ${t} rate${f} { type ${type}; flags dynamic, timeout; timeout 10s; size ${size}; }`,
      `flush set ${t} allow${f}`,
      `add rule ${t} synrate ${ip} saddr @meter${f} counter drop`,
      `add rule ${t} synrate tcp flags & (syn | ack) == syn ${ip} saddr != @allow${f} update @rate${f} { ${ip} saddr limit rate over ${rate}/second burst ${burst} packets } add @meter${f} { ${ip} saddr timeout ${banS}s } counter drop`,
    );
    const mine = allow.filter((c) => c.family === f).map(cidrText);
    if (mine.length > 0) lines.push(`add element ${t} allow${f} { ${mine.join(', ')} }`);
  }
  return `${lines.join('\n')}\n`;
}

export class NftMeter {
  private readonly nft: NftRunner;
  constructor(opts: NftOptions = {}) {
    this.nft = new NftRunner(opts);
  }

  install(o: MeterOptions): Promise<void> {
    return this.nft.apply(meterScript(o));
  }

  /** Sources the kernel metered out and still drops, with when that ends (for the store). */
  async read(now: number): Promise<KernelBan[]> {
    const out = await this.nft.query(['-j', 'list', 'table', 'inet', TABLE]);
    return out === null ? [] : parseNftBans(out, now, METER_SETS);
  }

  /** Removes the chain and its sets (the ban sets stay). */
  async remove(): Promise<void> {
    const t = `inet ${TABLE}`;
    const probe = await this.nft.query(['list', 'chain', 'inet', TABLE, 'synrate']);
    if (probe === null) return;
    const sets = ['allow4', 'allow6', 'meter4', 'meter6', 'rate4', 'rate6'].map((s) => `delete set ${t} ${s}`);
    await this.nft.apply(`delete chain ${t} synrate\n${sets.join('\n')}\n`);
  }
}
