// Captures test/fixtures/mixed-table from a real kernel: /proc/net/tcp, tcp6 and sockstat, and the output of
// `ss -tanH exclude time-wait`, read one after the other from the still table of mixed-table.ts in a lab namespace.
// Run as root after `npm run build`: node dist/testing/capture-mixed-table.js
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execOrThrow } from '../core/exec.js';
import { SS_TABLE_ARGS } from '../observe/ss-table.js';
import { FIXTURES } from './fixtures.js';
import { mixedTable } from './mixed-table.js';
import { withNs } from './test-ns.js';

await withNs(async (ns) => {
  const table = await mixedTable(ns);
  try {
    const dir = join(FIXTURES, 'mixed-table');
    mkdirSync(dir, { recursive: true });
    for (const file of ['tcp', 'tcp6', 'sockstat']) writeFileSync(join(dir, file), readFileSync(`/proc/${table.pid}/net/${file}`));
    writeFileSync(join(dir, 'ss-tan-no-tw'), await execOrThrow('ss', SS_TABLE_ARGS, { netns: ns }));
    console.log(`captured into ${dir}`);
  } finally {
    await table.stop();
  }
});
