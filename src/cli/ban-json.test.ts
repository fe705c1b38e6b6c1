// `bans --json` writes a JSON array with one ban per line: the same list JSON.stringify gives once parsed, for any ban.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { banJson, writeBansJson, type BanView } from './ban-json.js';
import { T0 } from '../testing/clock.js';

/** The list as JSON would carry it (parsed back, so that only the layout may differ), and its layout: one ban a line. */
const sameList = (text: string, bans: BanView[]): boolean => {
  const lines = text.split('\n');
  const layout = bans.length === 0
    ? text === '[]\n'
    : lines.length === bans.length + 3 && lines[0] === '[' && lines.at(-2) === ']' && lines.at(-1) === ''
      && bans.every((b, i) => lines[i + 1] === `  ${JSON.stringify(banJson(b))}${i < bans.length - 1 ? ',' : ''}`);
  return layout && JSON.stringify(JSON.parse(text)) === JSON.stringify(bans.map(banJson));
};
const written = async (bans: BanView[]) => {
  let text = '';
  await writeBansJson(bans, (t) => { text += t; return undefined; });
  return text;
};

const ban = (over: Partial<BanView> = {}): BanView => ({
  value: '198.18.0.7/32', scope: 'ip', reason: 'syn-flood', origin: 'auto', until: T0 + 600_000, createdAt: T0,
  offence: 1, evidence: ['SYN_RECV 180 (ban at 32)'], dryRun: false, ...over,
});

test('bans --json text: one ban a line; none, one, many, empty evidence, dry run, escapes and odd characters', async () => {
  assert.equal(await written([]), '[]\n');
  const cases = [
    ban(),
    ban({ value: '2001:db8::/64', scope: 'prefix', evidence: [], dryRun: true, origin: 'crowdsec', offence: 3 }),
    ban({ reason: 'quote " backslash \\ newline \n tab \t nul \u0000 é ☃ \ud800', evidence: ['a', '"b"', ''], until: T0 + 1 }),
  ];
  for (const c of cases) assert.ok(sameList(await written([c]), [c]), JSON.stringify(c));
  assert.ok(sameList(await written(cases), cases));
  // Pretty-printing is gone, nothing else: the text parses to exactly what JSON.stringify(list, null, 2) parsed to.
  assert.deepEqual(JSON.parse(await written(cases)), JSON.parse(JSON.stringify(cases.map(banJson), null, 2)));
});

test('bans --json text: a list long enough to be written in several pieces is the same text, each piece awaited', async () => {
  const many = Array.from({ length: 1500 }, (_, i) => ban({ value: `198.18.${i >> 8}.${i & 255}/32`, until: T0 + i * 1001 }));
  const pieces: string[] = [];
  let waiting = false;
  await writeBansJson(many, async (t) => {
    assert.equal(waiting, false, 'no piece written while the reader is behind');
    pieces.push(t);
    waiting = true;
    await new Promise((resolve) => setImmediate(resolve));
    waiting = false;
  });
  assert.ok(pieces.length > 1, 'written in pieces');
  assert.ok(sameList(pieces.join(''), many));
});

test('bans --json text: any ban (property)', async () => {
  const view = fc.record({
    value: fc.string(), scope: fc.constantFrom('ip' as const, 'prefix' as const), reason: fc.string({ unit: 'binary' }),
    origin: fc.constantFrom('auto' as const, 'manual' as const, 'kernel' as const, 'crowdsec' as const),
    until: fc.integer({ min: 0, max: 253_402_300_799_999 }), createdAt: fc.integer({ min: 0, max: 253_402_300_799_999 }),
    offence: fc.integer({ min: 1, max: 1000 }), evidence: fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), dryRun: fc.boolean(),
  });
  await fc.assert(fc.asyncProperty(fc.array(view, { maxLength: 5 }), async (bans) => sameList(await written(bans), bans)), { numRuns: 2000 });
});
