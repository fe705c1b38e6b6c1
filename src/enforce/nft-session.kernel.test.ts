// The long-lived `nft -j -i` session against a real nft in a throwaway namespace: an answer far longer than one pipe
// read arrives in many chunks and must come back as one listing, and a missing set is an answer too.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execOrThrow } from '../core/exec.js';
import { withNs } from '../testing/test-ns.js';
import { NETNS, needs } from '../testing/needs.js';
import { NftSession } from './nft-session.js';

const ELEMENTS = 20_000; // ~400 kB of JSON on one line: a pipe read gives 64 kB at most

it('a set of 20,000 elements lists whole through many chunks; a missing one is left out; the next batch still works', needs([...NETNS, 'nft'], async () => {
  await withNs(async (ns) => {
    const elements = Array.from({ length: ELEMENTS }, (_, i) => `198.18.${i >> 8}.${i & 255}`);
    await execOrThrow('nft', ['-f', '-'], { netns: ns, input: [
      'table inet sgtest {',
      '  set big { type ipv4_addr; }',
      '  set small { type ipv4_addr; elements = { 198.19.0.1 } }',
      '}',
      `add element inet sgtest big { ${elements.join(', ')} }`,
    ].join('\n') });
    const session = new NftSession({ netns: ns, timeoutMs: 20_000 });
    try {
      const first = await session.listSets('sgtest', ['big', 'missing', 'small']);
      assert.deepEqual([...first.keys()].sort(), ['big', 'small']);
      const big = first.get('big') as { nftables: Array<{ set?: { elem?: unknown[] } }> };
      assert.equal(big.nftables.find((i) => i.set)?.set?.elem?.length, ELEMENTS);
      const again = await session.listSets('sgtest', ['small']);
      assert.deepEqual([...again.keys()], ['small']);
    } finally {
      session.close();
    }
  });
}));
