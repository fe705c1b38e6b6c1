import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Int32Index } from './int-index.js';

test('behaves like a Map across growth, negative keys and zero included, insertion order too', () => {
  const idx = new Int32Index(4);
  const ref = new Map<number, number>();
  let x = 7;
  for (let i = 0; i < 50_000; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    const key = i % 3 === 0 ? x | 0 : (x % 500) | 0;
    const expected = ref.get(key) ?? ref.size;
    if (!ref.has(key)) ref.set(key, expected);
    assert.equal(idx.getOrAdd(key, ref.size - 1 === expected ? expected : ref.size), expected);
  }
  assert.equal(idx.size, ref.size);
  const seen = new Map<number, number>();
  idx.forEach((k, v) => seen.set(k, v));
  assert.deepEqual([...seen], [...ref]); // forEach walks the entries in insertion order, as a Map does
  assert.equal(idx.get(123456789), ref.get(123456789) ?? -1);
});
