// Captures test/fixtures/mixed-table from a real kernel: /proc/net/tcp, tcp6 and sockstat, and the binary dumps of
// `ss -tan -D -` with TIME_WAIT (ss-diag) and without (ss-diag-no-tw), read one after the other from the still table of
// mixed-table.ts in a lab namespace.
// Run as root after `npm run build`: node dist/testing/capture-mixed-table.js
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execStream } from '../core/exec.js';
import { DIAG_ARGS } from '../observe/diag-table.js';
import { FIXTURES } from './fixtures.js';
import { mixedTable } from './mixed-table.js';
import { withNs } from './test-ns.js';

await withNs(async (ns) => {
  const table = await mixedTable(ns);
  try {
    const dir = join(FIXTURES, 'mixed-table');
    mkdirSync(dir, { recursive: true });
    for (const file of ['tcp', 'tcp6', 'sockstat']) writeFileSync(join(dir, file), readFileSync(`/proc/${table.pid}/net/${file}`));
    for (const [file, args] of [['ss-diag', DIAG_ARGS], ['ss-diag-no-tw', [...DIAG_ARGS, 'exclude', 'time-wait']]] as const) {
      const chunks: Buffer[] = [];
      const r = await execStream('ss', args, (c) => { chunks.push(c); }, { netns: ns });
      if (r.failed) throw new Error(`${r.command} failed: ${r.stderr}`);
      writeFileSync(join(dir, file), Buffer.concat(chunks));
    }
    console.log(`captured into ${dir}`);
  } finally {
    await table.stop();
  }
});
