// How `synguard bans --json` writes a ban: the JSON text `JSON.stringify(list, null, 2)` gives, one ban at a time.
// A direct serializer: 100k bans never become 100k objects plus one 28 MB string (the garbage collector was the
// largest cost of listing them).
import type { DecisionRecord } from '../store/index.js';
import { iso } from './when.js';

/** What `bans` shows of a ban: the store's record, or the API's with its times read back. */
export type BanView = Pick<DecisionRecord, 'value' | 'scope' | 'reason' | 'origin' | 'until' | 'createdAt' | 'offence' | 'evidence' | 'dryRun'>;

/** One ban as `bans --json` prints it (the object form; `banText` writes the same). */
export function banJson(d: BanView) {
  return { value: d.value, scope: d.scope, reason: d.reason, origin: d.origin, until: iso(d.until), createdAt: iso(d.createdAt), offence: d.offence, evidence: d.evidence, dryRun: d.dryRun };
}

const q = JSON.stringify;

/** `JSON.stringify(banJson(d), null, 2)` indented as an element of a top-level array (two spaces), without its comma. */
export function banText(d: BanView): string {
  const evidence = d.evidence.length === 0 ? '[]' : `[\n      ${d.evidence.map((e) => q(e)).join(',\n      ')}\n    ]`;
  return `  {\n    "value": ${q(d.value)},\n    "scope": ${q(d.scope)},\n    "reason": ${q(d.reason)},\n    "origin": ${q(d.origin)},\n`
    + `    "until": ${q(iso(d.until))},\n    "createdAt": ${q(iso(d.createdAt))},\n    "offence": ${q(d.offence)},\n`
    + `    "evidence": ${evidence},\n    "dryRun": ${q(d.dryRun)}\n  }`;
}

/** Where text goes: a promise when the reader is behind (a pipe), so that 100k bans never queue up in memory. */
export type Write = (text: string) => Promise<void> | undefined;

/** Writes `JSON.stringify([...bans].map(banJson), null, 2)` and a newline, in pieces of about 64 KiB. */
export async function writeBansJson(bans: Iterable<BanView>, write: Write): Promise<void> {
  let out = '';
  let first = true;
  for (const d of bans) {
    out += `${first ? '[\n' : ',\n'}${banText(d)}`;
    first = false;
    if (out.length >= 65_536) {
      await write(out);
      out = '';
    }
  }
  await write(first ? '[]\n' : `${out}\n]\n`);
}
