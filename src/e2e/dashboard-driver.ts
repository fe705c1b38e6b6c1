// Drives Debian's Chromium (playwright-core, never a downloaded browser) against the dashboard. Run inside the
// lab victim's network namespace (the daemon listens on its 127.0.0.1): `node dashboard-driver.js '{"url": ...}'`.
// It prints one JSON object per line on stdout and takes commands, one JSON object per line, on stdin:
//   {"cmd":"sample"}                 what the page shows now (verdict, SYN_RECV series, bans)
//   {"cmd":"shot","path":"x.png"}    a full-page screenshot
//   {"cmd":"bans-timing","runs":5}   reloads: time to the bans panel's first rows, and GET /api/v1/bans timings
//   {"cmd":"click","selector":"#x"}  {"cmd":"fill","selector":"#x","value":"..."}   act as a person would
//   {"cmd":"done"}                   console errors and page weight, then exit
import { createInterface } from 'node:readline';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

interface Options { url: string; width?: number; height?: number }

const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

/** What the page shows, read from the DOM (text and the data-* summaries the page keeps). */
async function sample(page: Page) {
  return page.evaluate(() => {
    const q = (id: string) => document.getElementById(id);
    const chart = q('chart-sockets')?.dataset ?? {};
    return {
      at: Date.now(),
      state: document.body.dataset['state'],
      kind: q('verdict')?.dataset['kind'] ?? null,
      verdictText: q('verdict-kind')?.textContent ?? '',
      summary: q('verdict-summary')?.textContent ?? '',
      attack: q('attack')?.hidden === false ? q('attack')?.textContent ?? '' : null,
      points: Number(chart['points'] ?? 0),
      synrecvLast: Number(chart['synrecvLast'] ?? 0),
      synrecvMax: Number(chart['synrecvMax'] ?? 0),
      kpiSynRecv: q('kpi-synrecv')?.textContent ?? '',
      bansRows: Number(q('bans')?.dataset['rows'] ?? 0),
      bansTotal: q('bans-total')?.textContent ?? '',
      firstBan: q('bans')?.querySelector('tbody td')?.textContent ?? '',
      bansPage: q('bans-page')?.textContent ?? '',
      bansMessage: q('bans-message')?.hidden === false ? q('bans-message')?.textContent ?? '' : null,
      tokenForm: q('token-form')?.hidden === false,
      timeline: q('timeline')?.children.length ?? 0,
      // the kernel meter's panel: each row's cells joined by spaces ("198.18.0.2 2,000 no yes"), none while hidden
      senders: q('senders-panel')?.hidden === false
        ? [...(q('senders')?.querySelectorAll('tbody tr') ?? [])].map((tr) => [...tr.children].map((c) => c.textContent ?? '').join(' '))
        : [],
      banOrigin: q('bans')?.querySelector('tbody td:nth-child(2)')?.textContent ?? '',
      canvases: document.querySelectorAll('.uplot canvas').length,
    };
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function bansTiming(page: Page, url: string, runs: number) {
  const render: number[] = [];
  const api: number[] = [];
  for (let i = 0; i < runs; i++) {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => performance.getEntriesByName('bans-rendered').length > 0, undefined, { timeout: 60_000 });
    const t = await page.evaluate(() => ({
      rendered: performance.getEntriesByName('bans-rendered')[0]?.startTime ?? NaN,
      fetches: performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/bans?')).map((e) => e.duration),
    }));
    render.push(t.rendered);
    api.push(...t.fetches);
  }
  // the API alone, from this namespace: the first page of the list, as the page asks for it
  const direct: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const res = await fetch(new URL('/api/v1/bans?offset=0&limit=50', url));
    await res.arrayBuffer();
    direct.push(performance.now() - started);
  }
  return { renderMs: render, renderMedianMs: median(render), pageFetchMs: api, directMs: direct, directMedianMs: median(direct) };
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 1000 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    const weight: Array<{ url: string; bytes: number }> = [];
    page.on('requestfinished', (r) => {
      void r.sizes().then((s) => weight.push({ url: r.url(), bytes: s.responseBodySize + s.responseHeadersSize })).catch(() => undefined);
    });
    const started = Date.now();
    await page.goto(opts.url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset['state'] === 'live' && document.getElementById('verdict')?.dataset['kind'] !== 'unknown',
      undefined, { timeout: 30_000 });
    await page.waitForFunction(() => performance.getEntriesByName('bans-rendered').length > 0, undefined, { timeout: 30_000 });
    print({ event: 'ready', loadMs: Date.now() - started, sample: await sample(page) });
    const firstLoad = [...weight];

    for await (const line of createInterface({ input: process.stdin })) {
      if (line.trim() === '') continue;
      const cmd = JSON.parse(line) as { cmd: string; path?: string; runs?: number; selector?: string; value?: string };
      if (cmd.cmd === 'sample') print({ event: 'sample', sample: await sample(page) });
      else if (cmd.cmd === 'shot') {
        await page.screenshot({ path: cmd.path ?? 'dashboard.png', fullPage: true });
        print({ event: 'shot', path: cmd.path, sample: await sample(page) });
      } else if (cmd.cmd === 'bans-timing') print({ event: 'bans-timing', ...(await bansTiming(page, opts.url, cmd.runs ?? 5)) });
      else if (cmd.cmd === 'click') {
        await page.click(cmd.selector ?? 'body');
        print({ event: 'clicked', selector: cmd.selector });
      } else if (cmd.cmd === 'fill') {
        await page.fill(cmd.selector ?? 'input', cmd.value ?? '');
        print({ event: 'filled', selector: cmd.selector });
      } else if (cmd.cmd === 'done') break;
      else print({ event: 'error', message: `unknown command ${cmd.cmd}` });
    }
    const bytes = firstLoad.reduce((s, w) => s + w.bytes, 0);
    print({ event: 'done', consoleErrors, firstLoad: { requests: firstLoad.length, bytes, files: firstLoad } });
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  print({ event: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
});
