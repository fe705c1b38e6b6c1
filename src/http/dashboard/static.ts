// The dashboard's files: the page and its assets from web/ at the package root, and uPlot from its npm package.
// Only names listed when the server starts are served (no path is ever joined from the URL), each under a strict
// Content-Security-Policy; files are read once and kept (about 80 KB in all).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reply } from '../reply.js';

/** web/ beside dist/ (and src/): three levels up from this module. */
export const WEB_DIR = fileURLToPath(new URL('../../../web/', import.meta.url));

export const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const ASSET_NAME = /^[a-z0-9][a-z0-9.-]*$/;

interface Asset { readonly path: string; readonly type: string; body?: string }

/** A missing web/ (a broken install) leaves the API working; the page answers 404. */
function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The files that may be served, by URL name: web/*.{js,css,svg} as /assets/<name>, uPlot as uplot.js / uplot.css. */
export function assetTable(webDir = WEB_DIR): Map<string, Asset> {
  const table = new Map<string, Asset>();
  for (const name of listDir(webDir)) {
    const type = TYPES[extname(name)];
    if (name === 'index.html') table.set('', { path: join(webDir, name), type: TYPES['.html']! });
    else if (type && ASSET_NAME.test(name)) table.set(name, { path: join(webDir, name), type });
  }
  const require = createRequire(import.meta.url);
  table.set('uplot.js', { path: require.resolve('uplot/dist/uPlot.iife.min.js'), type: TYPES['.js']! });
  table.set('uplot.css', { path: require.resolve('uplot/dist/uPlot.min.css'), type: TYPES['.css']! });
  return table;
}

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // Never cached: an upgraded daemon must not run with yesterday's script (the files are small).
  'cache-control': 'no-store',
};

/** Serves the page ('' is index.html) and its assets; null for a name that is not in the table. */
export function staticFiles(webDir = WEB_DIR): { get(name: string): Reply | null; names(): string[] } {
  const table = assetTable(webDir);
  return {
    names: () => [...table.keys()],
    get(name) {
      const asset = table.get(name);
      if (!asset) return null;
      asset.body ??= readFileSync(asset.path, 'utf8');
      return { status: 200, body: asset.body, type: asset.type, headers: PAGE_HEADERS };
    },
  };
}
