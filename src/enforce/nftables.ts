// The default backend: one `table inet synguard` whose sets drop banned sources at prerouting/raw, with kernel expiry.
import type { Ban } from '../core/decision.js';
import { cidrContains, parseCidr } from '../core/address.js';
import { ChangeBuffer, isHost } from './buffer.js';
import { parseNftBans } from './nft-parse.js';
import { NftRunner, nftErrorSummary, type NftOptions } from './nft-run.js';
import { PROVEN_SETS, SETS, SPARE_SETS, TABLE, hostStatements, initScript, netPlan, netStatements } from './nft-script.js';
import type { CheckResult, CommitResult, Enforcer, KernelBan } from './types.js';

export class NftablesEnforcer implements Enforcer {
  readonly name = 'nftables' as const;
  readonly kernelExpires = true;
  readonly enforces = true;
  readonly supportsMeter = true;
  private readonly nft: NftRunner;
  private readonly buffer = new ChangeBuffer();
  /** Proven clients to let through banned prefixes; committed with the bans, in the same transaction. */
  private readonly spares = new ChangeBuffer();

  constructor(opts: NftOptions = {}) {
    this.nft = new NftRunner(opts);
  }

  async check(): Promise<CheckResult> {
    const version = await this.nft.raw(['--version']);
    if (version.spawnError) return { ok: false, detail: 'nft is not installed: apt-get install nftables' };
    const tables = await this.nft.raw(['list', 'tables']);
    if (tables.failed) {
      return { ok: false, detail: `nft cannot reach the kernel (${nftErrorSummary(tables.stderr)}): run as root or with CAP_NET_ADMIN` };
    }
    return { ok: true };
  }

  init(): Promise<void> {
    return this.nft.apply(initScript());
  }

  add(ban: Ban): void {
    this.buffer.add(ban);
  }

  delete(value: string): void {
    this.buffer.delete(value);
  }

  spare(address: string, until: number): void {
    this.spares.add({ value: address, family: address.includes(':') ? 6 : 4, until });
  }

  async commit(now: number): Promise<CommitResult> {
    const changes = this.buffer.take();
    const spares = this.spares.take();
    if (changes.length + spares.length === 0) return { added: 0, deleted: 0 };
    try {
      const prefixes = changes.filter((c) => !isHost(c.cidr));
      const families = new Set(prefixes.map((c) => c.cidr.family));
      const existing = [];
      for (const f of families) existing.push(...(await this.listSet(f === 4 ? SETS.net4 : SETS.net6, now)));
      // Spares first: a prefix ban and the clients it spares take effect in the same transaction.
      const script = [...hostStatements(spares, now, SPARE_SETS), ...hostStatements(changes, now), ...netStatements(netPlan(existing, prefixes, now), now)];
      if (script.length > 0) await this.nft.apply(`${script.join('\n')}\n`);
    } catch (err) {
      this.buffer.restore(changes);
      this.spares.restore(spares);
      throw err;
    }
    const added = changes.filter((c) => c.until !== null && c.until > now).length;
    return { added, deleted: changes.length - added };
  }

  async provenWithin(prefix: string, limit: number): Promise<string[]> {
    const cidr = parseCidr(prefix);
    const listed = await this.listSet(PROVEN_SETS[cidr.family], Date.now());
    const out: string[] = [];
    for (const p of listed) {
      const address = p.value.slice(0, p.value.indexOf('/'));
      if (out.length < limit && cidrContains(cidr, address)) out.push(address);
    }
    return out;
  }

  private async listSet(set: string, now: number): Promise<KernelBan[]> {
    const out = await this.nft.query(['-j', 'list', 'set', 'inet', TABLE, set]);
    return out === null ? [] : parseNftBans(out, now, new Set([set]));
  }

  /** The ban sets one by one: the table also holds the meter's bucket sets, tens of thousands of elements in a flood. */
  async list(now: number): Promise<KernelBan[]> {
    const out: KernelBan[] = [];
    for (const set of Object.values(SETS)) out.push(...(await this.listSet(set, now)));
    return out;
  }

  async flush(): Promise<void> {
    const sets = [...Object.values(SETS), ...Object.values(SPARE_SETS)].map((s) => `flush set inet ${TABLE} ${s}`);
    await this.nft.apply(`${initScript()}${sets.join('\n')}\n`);
    this.buffer.clear();
    this.spares.clear();
  }

  /** `add` then `delete` in one transaction: removes the table whether or not it exists. */
  async shutdown(): Promise<void> {
    await this.nft.apply(`add table inet ${TABLE}\ndelete table inet ${TABLE}\n`);
    this.buffer.clear();
    this.spares.clear();
  }
}
