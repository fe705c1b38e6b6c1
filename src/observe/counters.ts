// Kernel SNMP counters from /proc/net/netstat and /proc/net/snmp: a pure parser and a thin reader.
import { readFileSync } from 'node:fs';
import { fromSystemError } from '../core/errors.js';

/** The counters synguard reports, by section, spelled as the kernel spells them. */
export const WATCHED_COUNTERS = {
  TcpExt: [
    'SyncookiesSent', 'SyncookiesRecv', 'SyncookiesFailed', 'ListenOverflows', 'ListenDrops',
    'TCPReqQFullDoCookies', 'TCPReqQFullDrop', 'IPReversePathFilter', 'TCPSynRetrans', 'TCPAbortOnData',
  ],
  Tcp: ['PassiveOpens', 'ActiveOpens', 'AttemptFails', 'EstabResets', 'CurrEstab', 'InSegs', 'OutSegs', 'InErrs', 'OutRsts'],
} as const;

/** Gauges are levels, not event counts: a rate of them means nothing. */
export const GAUGES: ReadonlySet<string> = new Set(['CurrEstab']);

export interface CounterParse {
  /** `Section.Name` → value, for every counter in the file. */
  readonly values: Map<string, number>;
  readonly badLines: number;
}

/** Parses the "Section: names…" / "Section: values…" line pairs both files use. */
export function parseCounterPairs(text: string): CounterParse {
  const values = new Map<string, number>();
  let badLines = 0;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = (lines[i] ?? '').trim().split(/\s+/);
    const nums = (lines[i + 1] ?? '').trim().split(/\s+/);
    const section = names[0];
    if (!section?.endsWith(':') || nums[0] !== section || names.length !== nums.length) {
      badLines += 2;
      continue;
    }
    for (let j = 1; j < names.length; j++) {
      const v = Number(nums[j]);
      if (Number.isFinite(v)) values.set(`${section.slice(0, -1)}.${names[j] ?? ''}`, v);
    }
  }
  if (lines.length % 2 === 1) badLines++;
  return { values, badLines };
}

/** Picks the watched counters out, keyed by their bare kernel name. Missing ones (older kernels) are left out. */
export function pickWatched(values: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [section, names] of Object.entries(WATCHED_COUNTERS)) {
    for (const name of names) {
      const v = values.get(`${section}.${name}`);
      if (v !== undefined) out[name] = v;
    }
  }
  return out;
}

export const COUNTER_FILES = ['/proc/net/netstat', '/proc/net/snmp'] as const;

/** Reads both counter files of the current network namespace. */
export function readCounters(files: readonly string[] = COUNTER_FILES): { counters: Record<string, number>; badLines: number } {
  const values = new Map<string, number>();
  let badLines = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw fromSystemError(err, file);
    }
    const parsed = parseCounterPairs(text);
    for (const [k, v] of parsed.values) values.set(k, v);
    badLines += parsed.badLines;
  }
  return { counters: pickWatched(values), badLines };
}
