// What the kernel's SYN-rate meter holds (pure parser of its small sets, as `nft -j list set` prints them).

/** One element of a meter set: a source or prefix the kernel found over its rate. */
export interface MeterElement {
  /** CIDR text: an address as /32 or /128, a prefix at the meter's length. */
  readonly value: string;
  /** Packets the kernel counted for it since it entered the set (dropped ones, for the drop sets). */
  readonly packets: number;
  /** How long it has been in the set (ms; nft prints whole seconds). */
  readonly ageMs: number;
  /** When the kernel lets it go by itself (ms epoch). */
  readonly expiresAt: number;
}

export interface MeterSample {
  readonly takenAt: number;
  /** Sources the kernel dropped provisionally (unproven, over the per-source rate). */
  readonly hosts: readonly MeterElement[];
  /** Prefixes whose unproven sources the kernel dropped (over the per-prefix rate). */
  readonly prefixes: readonly MeterElement[];
  /** Proven sources over the per-source rate: counted, never dropped for it. */
  readonly busy: readonly MeterElement[];
}

interface JsonElem {
  readonly val?: unknown;
  readonly timeout?: unknown;
  readonly expires?: unknown;
  readonly counter?: { readonly packets?: unknown };
}

/** Elements of the set in one `nft -j list set` document; prefix sets hold masked addresses of length `prefixLength`. */
export function meterElements(doc: unknown, now: number, prefixLength?: number): MeterElement[] {
  const items = (doc as { nftables?: unknown } | null)?.nftables;
  if (!Array.isArray(items)) return [];
  const out: MeterElement[] = [];
  for (const item of items as unknown[]) {
    const elems = (item as { set?: { elem?: unknown } } | null)?.set?.elem;
    if (!Array.isArray(elems)) continue;
    for (const raw of elems as unknown[]) {
      const e = ((raw as { elem?: JsonElem } | null)?.elem ?? {});
      if (typeof e.val !== 'string') continue;
      const timeout = typeof e.timeout === 'number' ? e.timeout : 0;
      const expires = typeof e.expires === 'number' ? e.expires : 0;
      const packets = typeof e.counter?.packets === 'number' ? e.counter.packets : 0;
      const length = prefixLength ?? (e.val.includes(':') ? 128 : 32);
      out.push({ value: `${e.val}/${length}`, packets, ageMs: Math.max(0, timeout - expires) * 1000, expiresAt: now + expires * 1000 });
    }
  }
  return out;
}
