// The page's own helpers (web/*.js), loaded in Node: what the kernel meter's panel and the timeline say, word for
// word, and that the panel starts hidden. The browser end to end is src/e2e/dashboard.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SynSender } from '../../detect/syn-senders.js';
import { PREFIX, PROXY, sampleSenders } from '../../testing/syn-senders.js';
import { WEB_DIR } from './static.js';
import { T0 } from '../../testing/clock.js';

interface Panels {
  senderCells: (s: SynSender) => string[];
  storeBannerText: (d: { error: string | null; since: number | null; held: number } | null, serverNow: number) => string | null;
}
interface Lists { timelineEntries: (history: unknown) => Array<{ tag: string; text: string }> }
interface BansModule { ORIGINS: Record<string, string> }

const load = async <T>(name: string): Promise<T> => (await import(pathToFileURL(join(WEB_DIR, name)).href)) as T;

test('a row of the kernel meter panel: address, SYN/s, proven, dropped by the kernel', async () => {
  const { senderCells } = await load<Panels>('panels.js');
  const [top] = sampleSenders();
  assert.deepEqual(senderCells(top!), ['198.18.0.1', '2,000', 'no', 'yes']);
  assert.deepEqual(senderCells(PROXY), ['198.51.100.20', '950', 'yes', 'no'], 'the proxy: proven, never dropped for its rate');
  assert.deepEqual(senderCells(PREFIX), ['203.0.113.0/24', '450', 'no', 'yes'], 'a prefix dropped as a whole');
  assert.deepEqual(senderCells({ ...PROXY, synPerSecond: 3000, capped: true }), ['198.51.100.20', '3,000', 'yes', 'its excess'], 'a proven client over its limit');
});

test('a kernel-made ban reads like the others in the timeline, and its origin is explained in the bans table', async () => {
  const { timelineEntries } = await load<Lists>('lists.js');
  const { ORIGINS } = await load<BansModule>('bans.js');
  const ban = (value: string, origin: string, reason: string, offence = 1) =>
    ({ value, origin, reason, offence, createdAt: '2026-11-25T12:00:01.000Z', endedAt: null });
  const entries = timelineEntries({ decisions: [
    ban('198.18.0.1/32', 'kernel', 'SYN flood (kernel meter)'),
    ban('198.18.0.2/32', 'auto', 'SYN flood', 2),
    ban('203.0.113.9/32', 'manual', 'manual ban'),
    { ...ban('198.18.0.3/32', 'auto', 'half-open flood'), dryRun: true },
  ] });
  assert.deepEqual(entries.map((e) => `${e.tag} ${e.text}`), [
    'ban 198.18.0.1/32 (kernel): SYN flood (kernel meter)',
    'ban 198.18.0.2/32 (auto, offence 2): SYN flood',
    'ban 203.0.113.9/32 (manual): manual ban',
    'ban 198.18.0.3/32 (auto, dry run: not enforced): half-open flood',
  ]);
  assert.deepEqual(Object.keys(ORIGINS).sort(), ['auto', 'crowdsec', 'kernel', 'manual'], 'every origin a decision may carry');
  assert.match(ORIGINS['kernel'] ?? '', /kernel SYN-rate meter/);
});

test('the page has the kernel meter panel, hidden until a frame carries senders, with its four columns', () => {
  const html = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
  assert.match(html, /<section class="panel meter" id="senders-panel" hidden>/);
  const head = /<table id="senders"[\s\S]*?<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1] ?? '';
  assert.deepEqual([...head.matchAll(/<th[^>]*>([^<]*)/g)].map((m) => m[1]?.trim()), ['address', 'SYN/s', 'proven', 'dropped by the kernel']);
  const app = readFileSync(join(WEB_DIR, 'app.js'), 'utf8');
  assert.match(app, /renderSenders\(frame\)/, 'each frame redraws it');
});

test('a degraded store shows a banner: why, for how long, still defending, how many writes wait; none while it writes', async () => {
  const { storeBannerText } = await load<Panels>('panels.js');
  assert.equal(storeBannerText(null, T0), null);
  assert.equal(
    storeBannerText({ error: 'SQLITE_FULL: database or disk is full', since: T0 - 150_000, held: 12 }, T0),
    'Store degraded for 2m 30s: SQLITE_FULL: database or disk is full. Still defending (bans reach the kernel); 12 writes held in memory, written to disk once it can write again.',
  );
  assert.match(storeBannerText({ error: null, since: null, held: 1 }, T0) ?? '', /^Store degraded: writes fail\. .* 1 write held in memory/);
  const html = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
  assert.match(html, /<p id="store-banner" class="banner" role="alert" hidden><\/p>/, 'hidden until a frame says the store is degraded');
  assert.match(readFileSync(join(WEB_DIR, 'app.js'), 'utf8'), /renderStore\(frame, serverNow\(\)\)/, 'each frame redraws it');
});
