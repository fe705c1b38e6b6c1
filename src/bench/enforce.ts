// Measures the enforcers in a throwaway namespace: 100k nft bans in one transaction, list() of 100k, route bans at 10k.
// Run as root: node dist/bench/enforce.js [--nft N] [--route N] [--runs R]
import { performance } from 'node:perf_hooks';
import { withNs } from '../testing/test-ns.js';
import { NftablesEnforcer } from '../enforce/nftables.js';
import { RouteEnforcer } from '../enforce/route.js';
import type { Enforcer } from '../enforce/types.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isInteger(v) && v >= 0 ? v : fallback;
}

/** n distinct addresses inside 198.18.0.0/15 (hosts) or n /24 prefixes out of the same range wrapped as /28s. */
function values(n: number, kind: 'host' | 'prefix'): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = kind === 'host' ? i : i * 16;
    return `198.${18 + ((k >> 16) & 1)}.${(k >> 8) & 255}.${k & 255}/${kind === 'host' ? 32 : 28}`;
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(label: string, make: (ns: string) => Enforcer, vals: string[], runs: number): Promise<void> {
  const commits: number[] = [];
  const lists: number[] = [];
  const recommits: number[] = [];
  await withNs(async (ns) => {
    const e = make(ns);
    for (let r = 0; r < runs; r++) {
      await e.shutdown();
      await e.init();
      const now = Date.now();
      for (const value of vals) e.add({ value, family: 4, until: now + 3_600_000 });
      commits.push(await timed(() => e.commit(now)));
      let n = 0;
      lists.push(await timed(async () => (n = (await e.list(Date.now())).length)));
      if (n !== vals.length) throw new Error(`${label}: listed ${n}, expected ${vals.length}`);
      const later = Date.now();
      for (const value of vals) e.add({ value, family: 4, until: later + 7_200_000 });
      recommits.push(await timed(() => e.commit(later)));
    }
    await e.shutdown();
  });
  const f = (xs: number[]): string => `median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(`${label}: commit ${vals.length} new: ${f(commits)}; list: ${f(lists)}; commit ${vals.length} again (timeouts updated): ${f(recommits)}`);
}

const runs = arg('runs', 3);
const nftN = arg('nft', 100_000);
const routeN = arg('route', 10_000);
if (nftN > 0) {
  await measure('nftables hosts', (ns) => new NftablesEnforcer({ netns: ns }), values(nftN, 'host'), runs);
  await measure('nftables prefixes', (ns) => new NftablesEnforcer({ netns: ns }), values(Math.min(nftN, 8192), 'prefix'), runs);
}
if (routeN > 0) await measure('route', (ns) => new RouteEnforcer({ netns: ns }), values(routeN, 'host'), runs);
