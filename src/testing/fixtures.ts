// Test support: finds and reads the kernel captures under test/fixtures (gzip is undone transparently).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
export const CAPTURES = ['idle', 'concentrated-v4', 'spoofed-v4-cookies', 'spoofed-v4-nocookies', 'syn-v6', 'connection-flood'] as const;
export type Capture = (typeof CAPTURES)[number];

/** Path of a fixture file, whether it was stored plain or gzipped. */
export function fixturePath(capture: string, file: string): string {
  const plain = join(FIXTURES, capture, file);
  return existsSync(plain) ? plain : `${plain}.gz`;
}

export function fixtureBytes(capture: string, file: string): Buffer {
  const path = fixturePath(capture, file);
  const raw = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(raw) : raw;
}

export function fixtureText(capture: string, file: string): string {
  return fixtureBytes(capture, file).toString('utf8');
}

/** The expectations the capture script computed with awk over the same bytes. */
export function fixtureExpect(capture: string): { states: Map<string, number>; lines: number; synRecvSources: number } {
  const sections = fixtureText(capture, 'expect.txt').split(/^# .*$/m).map((s) => s.trim());
  const states = new Map<string, number>();
  for (const line of (sections[1] ?? '').split('\n').filter(Boolean)) {
    const [code = '', count = '0'] = line.split(' ');
    states.set(code, Number(count));
  }
  return { states, lines: Number(sections[2]), synRecvSources: Number(sections[3]) };
}
