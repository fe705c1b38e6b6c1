// End to end: the real daemon in a lab victim namespace, its webhook pointing at a receiver in the client
// namespace, during a bounded SYN flood from several attacker addresses. One attack-start, one attack-end, bans
// batched, a report written and listed by `synguard reports`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec, spawnLong } from '../core/exec.js';
import { addHostAddresses, withLab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';
import type { Message } from '../notify/messages.js';
import type { AttackReport, ReportSummary } from '../report/index.js';
import { jsonLines, startDaemon } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';
import { FLOODS, needs } from '../testing/needs.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PORT = 8080;
const HOOK_PORT = 8099;

/** A webhook receiver: prints each POST body as one JSON line and answers 204. */
const RECEIVER = `
const http = require('node:http');
const [host, port] = process.argv.slice(1);
http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => { process.stdout.write(JSON.stringify(JSON.parse(body)) + '\\n'); res.writeHead(204).end(); });
}).listen(Number(port), host, () => process.stdout.write('listening\\n'));
`;

test('webhook during a lab flood: one attack-start, one attack-end, bans batched; a report is written and listed', needs(FLOODS, async () => {
  await withLab({ attackers: 1 }, async (lab) => {
    const attacker = await addHostAddresses(lab.attackers[0]!, 6); // 198.18.2.2 … .8
    const hookHost = lab.client.v4[0]!;
    const receiver = spawnLong(process.execPath, ['-e', RECEIVER, hookHost, String(HOOK_PORT)], { netns: lab.client.ns });
    const got = jsonLines(receiver.child);
    await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(lab.victim.ns, { port: PORT, backlog: 511 });
    const state = tempDir('sg-e2e-notify-');
    const config = join(state, 'config.yaml');
    writeFileSync(config, [
      'defender:',
      '  hardening: { calmDown: 5s }',
      'notify:',
      '  banBatch: 3s',
      '  webhooks:',
      `    - { url: "http://${hookHost}:${HOOK_PORT}/hook", timeout: 2s, headers: { Authorization: "Bearer e2e" } }`,
      '',
    ].join('\n'));
    const daemon = startDaemon(lab.victim.ns, state, ['--config', config]);
    try {
      for (let i = 0; i < 50 && !got.ready(); i++) await sleep(100);
      assert.ok(got.ready(), 'the receiver listens');
      await daemon.waitFor((l) => l['event'] === 'reconcile', { ms: 15_000, what: 'the daemon start' });
      // four sources (198.18.2.4–.7, all the attacker's own) in one bounded flood
      const sources = attacker.v4.slice(2, 6);
      const flood = await synFlood(attacker, { target: lab.victim.v4[0]!, port: PORT, pps: 2000, maxPackets: 12_000, durationS: 6, spoofCidr: '198.18.2.4/30' });
      assert.ok(flood.packetsSent > 1000, `packets sent: ${flood.packetsSent}`);
      const end = await daemon.waitFor((l) => l['event'] === 'attack-end', { ms: 40_000, what: 'attack-end in the daemon log' });
      await got.waitFor((m) => m['type'] === 'attack-end', { ms: 10_000, what: 'attack-end at the receiver' });
      await daemon.waitFor((l) => l['event'] === 'report', { ms: 10_000, what: 'the report written' });
      // Nothing late (a second start, a stray batch) may follow. The daemon's stop comes after anything it sends:
      // it flushes the open ban batch and waits for every delivery before it logs `stop`. Then the receiver must
      // hold exactly the messages the daemon logged as sent.
      daemon.child.kill('SIGTERM');
      await daemon.waitFor((l) => l['event'] === 'stop', { ms: 15_000, what: 'the daemon stopped' });
      assert.equal(await daemon.exited, 0);
      assert.deepEqual(daemon.lines.filter((l) => /^notify-(dropped|failed|retry)$/.test(String(l['event']))), [], 'every message delivered at once');
      const sent = daemon.lines.filter((l) => l['event'] === 'notify-sent').map((l) => String(l['id']));
      await got.waitFor(() => got.lines.length >= sent.length, { ms: 5000, what: `${sent.length} messages at the receiver` });

      const messages = got.lines as unknown as Message[];
      assert.deepEqual(messages.map((m) => m.id).sort(), [...sent].sort(), 'the receiver got what the daemon sent, nothing else');
      const types = messages.map((m) => m.type);
      assert.equal(types.filter((t) => t === 'attack-start').length, 1, types.join(', '));
      assert.equal(types.filter((t) => t === 'attack-end').length, 1, types.join(', '));
      assert.ok(types.indexOf('attack-start') < types.indexOf('attack-end'));
      const banLines = daemon.lines.filter((l) => l['event'] === 'ban');
      const banMessages = messages.filter((m) => m.type === 'bans');
      assert.ok(banLines.length >= 2, `bans in the daemon log: ${banLines.map((l) => String(l['value'])).join(', ')}`);
      assert.ok(banMessages.length < banLines.length, `${banMessages.length} ban messages for ${banLines.length} bans`);
      assert.equal(banMessages.reduce((s, m) => s + m.count, 0), banLines.length, 'every ban is counted once');
      const banned = banMessages.flatMap((m) => m.bans.map((b) => b.value));
      for (const v of banned) assert.ok(sources.some((s) => v === `${s}/32`) || v.startsWith('198.18.2.'), v);
      assert.ok(types.lastIndexOf('bans') < types.indexOf('attack-end'), 'the batch goes out before the end');
      const start = messages.find((m) => m.type === 'attack-start')!;
      const finish = messages.find((m) => m.type === 'attack-end')!;
      assert.ok(start.type === 'attack-start' && finish.type === 'attack-end');
      assert.equal(finish.attack.id, start.attack.id);
      assert.equal(finish.report?.bans, banLines.length);
      assert.ok(messages.some((m) => m.type === 'hardening' && m.state === 'on'));
      assert.ok(messages.every((m) => m.schema === 1));

      // the report: on disk, listed by the CLI in the namespace, and its figures match what happened
      const list = await exec(process.execPath, [CLI, 'reports', '--json', '--state-dir', state], { netns: lab.victim.ns, timeoutMs: 30_000 });
      assert.equal(list.exitCode, 0, list.stderr);
      const reports = JSON.parse(list.stdout) as ReportSummary[];
      assert.equal(reports.length, 1);
      assert.equal(reports[0]!.id, finish.report?.id);
      const report = JSON.parse(readFileSync(join(state, 'reports', `${reports[0]!.id}.json`), 'utf8')) as AttackReport;
      assert.equal(report.class, start.attack.class, 'the class named at the start');
      assert.ok(String(end['kind']) in report.classes, 'the last verdict is among those the report counted');
      assert.equal(report.decisions.count, banLines.length);
      assert.ok((report.peaks.halfOpen?.value ?? 0) >= 32, `peak half-open ${report.peaks.halfOpen?.value}`);
      // The kernel meter drops each source after its burst (100 SYNs), so the backlog of 511 never overflows: the
      // report shows the flood in the meter's view instead, each source dropped by the kernel.
      const metered = (report.synSenders ?? []).filter((s) => s.dropped).map((s) => s.address);
      assert.deepEqual([...metered].sort(), [...sources].sort(), 'every source in the report, dropped by the kernel');
      assert.ok(report.sources.top.some((s) => sources.includes(s.address)), report.sources.top.map((s) => s.address).join(', '));
      console.log(`# ${flood.packetsSent} SYNs from ${sources.length} addresses: ${banLines.length} bans in ${banMessages.length} message(s); `
        + `attack ${report.durationSeconds}s, peak half-open ${report.peaks.halfOpen?.value}, cookies ${report.cookies.sent} sent / ${report.cookies.returned} back; `
        + `messages: ${types.join(', ')}`);
    } finally {
      daemon.child.kill('SIGTERM');
      await Promise.race([daemon.exited, sleep(8000)]);
      daemon.child.kill('SIGKILL');
      receiver.child.kill('SIGKILL');
      await receiver.exited;
      await server.stop();
    }
  });
}));
