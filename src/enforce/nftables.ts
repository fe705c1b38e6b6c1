// The default backend: one `table inet synguard` whose sets drop banned sources at prerouting/raw, with kernel expiry.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ban } from '../core/decision.js';
import { cidrContains, parseCidr } from '../core/address.js';
import { ChangeBuffer, isHost } from './buffer.js';
import { parseNftBans } from './nft-parse.js';
import { NftRunner, nftErrorSummary, type NftOptions } from './nft-run.js';
import { PROVEN_SETS, SETS, SPARE_SETS, TABLE, banRules, hostStatements, initScript, netPlan, netStatements, restScript } from './nft-script.js';
import type { CheckResult, CommitResult, Enforcer, KernelBan } from './types.js';

/** Listings of one set before a torn one (see listSet) is given up on. */
const LIST_ATTEMPTS = 5;

export class NftablesEnforcer implements Enforcer {
  readonly name = 'nftables' as const;
  readonly kernelExpires = true;
  readonly enforces = true;
  readonly supportsMeter = true;
  private readonly nft: NftRunner;
  private readonly buffer = new ChangeBuffer();
  /** Proven clients to let through banned prefixes; committed with the bans, in the same transaction. */
  private readonly spares = new ChangeBuffer();
  /**
   * Every host ban value the kernel may hold: what the last list() found plus what was committed since (expiry only
   * takes elements out). A value outside it is certainly absent, so its add needs no guard; null until a list().
   */
  private held: Set<string> | null = null;

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
      const held = this.held;
      const absent = held === null ? undefined : (value: string) => !held.has(value);
      const script = [...hostStatements(spares, now, SPARE_SETS), ...hostStatements(changes, now, undefined, absent), ...netStatements(netPlan(existing, prefixes, now), now)];
      // The rules come with the elements: after rest() the chain has none.
      if (script.length > 0) await this.nft.apply(`${[...banRules(), ...script].join('\n')}\n`);
      if (held !== null) {
        for (const c of changes) {
          if (!isHost(c.cidr)) continue;
          if (c.until !== null && c.until > now) held.add(c.value);
          else held.delete(c.value);
        }
      }
    } catch (err) {
      this.buffer.restore(changes);
      this.spares.restore(spares);
      throw err;
    }
    const added = changes.filter((c) => c.until !== null && c.until > now).length;
    return { added, deleted: changes.length - added };
  }

  /**
   * Takes the ban chain's rules out when the kernel holds no ban and none is buffered; says whether it did. The daemon
   * asks when its store has no ban in force; the next commit writes the rules back in the same transaction as its bans.
   */
  async rest(now: number): Promise<boolean> {
    if (this.buffer.size + this.spares.size > 0 || (await this.list(now)).length > 0) return false;
    await this.nft.apply(restScript());
    return true;
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

  /**
   * One set's elements. A listing comes in parts, each resuming after a count of elements; when the kernel resizes the
   * set's hash table in between (a deferred rehash, which on a busy host can run well after a big commit), the next
   * part counts in a new order: the listing has the right length but some elements twice and others never (seen here
   * under CPU load just after a 100k commit: 100,000 printed, 99,195 distinct). A duplicate is the sign: listed again.
   */
  private async listSet(set: string, now: number): Promise<KernelBan[]> {
    let bans: KernelBan[] = [];
    for (let attempt = 0; attempt < LIST_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(25 * attempt);
      const out = await this.nft.query(['-j', 'list', 'set', 'inet', TABLE, set]);
      bans = out === null ? [] : parseNftBans(out, now, new Set([set]));
      if (new Set(bans.map((b) => b.value)).size === bans.length) return bans;
    }
    // Still torn after the retries: the distinct elements, the best this listing knows.
    return [...new Map(bans.map((b) => [b.value, b])).values()];
  }

  /**
   * The ban sets, one nft each, side by side: the table also holds the meter's bucket sets, tens of thousands of
   * elements in a flood, which a listing of the table would print too.
   */
  async list(now: number): Promise<KernelBan[]> {
    const [host4, host6, net4, net6] = await Promise.all([SETS.host4, SETS.host6, SETS.net4, SETS.net6].map((set) => this.listSet(set, now)));
    const hosts = [...host4!, ...host6!];
    this.held = new Set(hosts.map((b) => b.value));
    return [...hosts, ...net4!, ...net6!];
  }

  async flush(): Promise<void> {
    const sets = [...Object.values(SETS), ...Object.values(SPARE_SETS)].map((s) => `flush set inet ${TABLE} ${s}`);
    await this.nft.apply(`${initScript()}${sets.join('\n')}\n`);
    this.held = new Set();
    this.buffer.clear();
    this.spares.clear();
  }

  /** `add` then `delete` in one transaction: removes the table whether or not it exists. */
  async shutdown(): Promise<void> {
    await this.nft.apply(`add table inet ${TABLE}\ndelete table inet ${TABLE}\n`);
    this.held = new Set();
    this.buffer.clear();
    this.spares.clear();
  }
}
