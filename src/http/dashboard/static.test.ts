// The page and its files over real HTTP: content types, the Content-Security-Policy, no token needed, nothing
// outside the listed files (path traversal answers 404), and the page's scripts never insert HTML.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApi, type TestApi } from '../../testing/test-app.js';
import { CSP, WEB_DIR } from './static.js';

let api: TestApi;
before(async () => { api = await startTestApi(); });
after(() => api.close());

/** A GET with the path sent exactly as written (fetch and URL would normalise the dots away). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.base}/`, { path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the page is served at / without a token, with a strict CSP and no inline script or style', async () => {
  const res = await api.call('/', { token: null });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('content-security-policy'), CSP);
  assert.match(CSP, /default-src 'none'/);
  assert.match(CSP, /script-src 'self'(;|$)/, 'no unsafe-inline, no eval');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const html = await res.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 2);
  for (const [tag, body] of scripts) {
    assert.match(tag, /\ssrc="\/assets\//, `scripts come from files: ${tag}`);
    assert.equal(body, '', 'no inline script');
  }
  assert.doesNotMatch(html, /<style|\sstyle="|\son[a-z]+="/i, 'no inline style or handler');
  assert.doesNotMatch(html, /https?:\/\//, 'nothing from the internet');
  const head = await api.call('/', { method: 'HEAD', token: null });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('every file the page and its modules refer to is served with its type, uPlot from its npm package', async () => {
  const html = await (await api.call('/', { token: null })).text();
  const wanted = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? ''));
  for (const name of readdirSync(WEB_DIR).filter((n) => n.endsWith('.js'))) {
    for (const m of readFileSync(join(WEB_DIR, name), 'utf8').matchAll(/from '\.\/([a-z-]+\.js)'/g)) wanted.add(`/assets/${m[1]}`);
  }
  const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
  let bytes = 0;
  for (const path of wanted) {
    const res = await api.call(path, { token: null });
    assert.equal(res.status, 200, path);
    assert.equal(res.headers.get('content-type'), types[path.split('.').pop() ?? ''], path);
    assert.equal(res.headers.get('content-security-policy'), CSP, path);
    bytes += (await res.arrayBuffer()).byteLength;
  }
  assert.ok(wanted.has('/assets/uplot.js') && wanted.has('/assets/app.js') && wanted.has('/assets/bans.js'));
  const uplot = await (await api.call('/assets/uplot.js', { token: null })).text();
  assert.match(uplot, /uPlot/);
  assert.equal(uplot, readFileSync(join(WEB_DIR, '../node_modules/uplot/dist/uPlot.iife.min.js'), 'utf8'));
  // light: the whole page, uPlot included, uncompressed
  assert.ok(bytes < 120_000, `page bytes: ${bytes}`);
});

test('nothing outside the listed files: traversal, encoded traversal, unknown names and the source tree are 404', async () => {
  for (const path of ['/assets/../../etc/passwd', '/assets/..%2F..%2Fetc%2Fpasswd', '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/assets/nope.js', '/assets/index.html', '/assets/', '/index.html', '/web/app.js', '/assets/app.js/x',
    '/assets/.%2e%2fpackage.json', '/assets/uplot.js%00.css']) {
    const res = await rawGet(path);
    assert.equal(res.status, 404, path);
    assert.doesNotMatch(res.body, /root:|"dependencies"/, path);
    assert.match(res.body, /^\{"error":/, path);
  }
});

test('the page only writes text: no innerHTML, outerHTML, insertAdjacentHTML, document.write or eval in web/', () => {
  for (const name of readdirSync(WEB_DIR).filter((n) => n.endsWith('.js'))) {
    const src = readFileSync(join(WEB_DIR, name), 'utf8');
    assert.doesNotMatch(src, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/, name);
  }
});
