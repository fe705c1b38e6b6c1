// Pure reader of `nft -j list table inet synguard`: the elements of synguard's ban sets as KernelBans.
import { SynguardError } from '../core/errors.js';
import { SETS } from './nft-script.js';
import type { KernelBan } from './types.js';

const BAN_SETS: ReadonlySet<string> = new Set(Object.values(SETS));

interface JsonElem {
  val?: unknown;
  expires?: unknown;
}

function valueText(val: unknown): string | null {
  if (typeof val === 'string') return `${val}/${val.includes(':') ? 128 : 32}`;
  if (val && typeof val === 'object' && 'prefix' in val) {
    const p = (val as { prefix: { addr?: unknown; len?: unknown } }).prefix;
    if (typeof p.addr === 'string' && typeof p.len === 'number') return `${p.addr}/${p.len}`;
  }
  return null; // ranges and other shapes are never written by synguard
}

/** One set element: either a bare value or `{elem: {val, timeout, expires}}`. */
function toBan(item: unknown, now: number): KernelBan | null {
  const inner: JsonElem =
    item && typeof item === 'object' && 'elem' in item ? ((item as { elem: JsonElem }).elem) : { val: item };
  const value = valueText(inner.val);
  if (value === null) return null;
  // nft 1.0.6 prints `expires` in whole seconds (rounded down), so `until` is exact to within a second.
  const until = typeof inner.expires === 'number' ? now + inner.expires * 1000 : null;
  return { value, until };
}

/** Parses the JSON text (elements of the named sets only); throws an exec error if it is not nft's JSON. */
export function parseNftBans(json: string, now: number, sets: ReadonlySet<string> = BAN_SETS): KernelBan[] {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new SynguardError('exec', `nft -j printed something that is not JSON: ${JSON.stringify(json.slice(0, 80))}`, { cause: err });
  }
  const items = (doc as { nftables?: unknown } | null)?.nftables;
  if (!Array.isArray(items)) throw new SynguardError('exec', 'nft -j output has no "nftables" array');
  const bans: KernelBan[] = [];
  for (const item of items as unknown[]) {
    const set = (item as { set?: { name?: unknown; table?: unknown; elem?: unknown } } | null)?.set;
    if (!set || typeof set.name !== 'string' || !sets.has(set.name) || !Array.isArray(set.elem)) continue;
    for (const e of set.elem as unknown[]) {
      const ban = toBan(e, now);
      if (ban) bans.push(ban);
    }
  }
  return bans;
}
