// End to end: real floods in lab namespaces, and `synguard status --json` run inside the victim namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../core/exec.js';
import { withLab, listLeftovers, type Lab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';
import type { StatusReport } from '../detect/report.js';
import { FLOODS, needs } from '../testing/needs.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PORT = 8080;
const BACKLOG = 64;

/** Floods the victim and, three seconds in, runs `synguard status --json` inside the victim namespace. */
async function statusDuringFlood(lab: Lab, spoofCidr?: string): Promise<StatusReport> {
  await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1, 'net.ipv4.tcp_synack_retries': 2 });
  const server = await startVictimServer(lab.victim.ns, { port: PORT, backlog: BACKLOG });
  try {
    const attacker = lab.attackers[0]!;
    const flood = synFlood(attacker, { target: lab.victim.v4[0]!, port: PORT, pps: 2000, maxPackets: 20_000, durationS: 8, ...(spoofCidr ? { spoofCidr } : {}) });
    await sleep(3000);
    const res = await exec('node', [CLI, 'status', '--json', '--interval', '1', '--top', '5'], { netns: lab.victim.ns, timeoutMs: 30_000 });
    const { packetsSent } = await flood;
    assert.equal(res.exitCode, 0, res.stderr);
    assert.ok(packetsSent > 5000, `flood sent ${packetsSent}`);
    return JSON.parse(res.stdout) as StatusReport;
  } finally {
    await server.stop();
  }
}

function listener(r: StatusReport) {
  const l = r.listeners.find((x) => x.port === PORT && x.address === '0.0.0.0') ?? r.listeners.find((x) => x.port === PORT);
  assert.ok(l, `listener :${PORT} in ${JSON.stringify(r.listeners)}`);
  return l;
}

test('status names a concentrated SYN flood and its one source', needs(FLOODS, async () => {
  await withLab({ attackers: 1 }, async (lab) => {
    const r = await statusDuringFlood(lab);
    const attacker = lab.attackers[0]!.v4[0]!;
    assert.equal(r.assessment.kind, 'syn-flood', r.assessment.summary);
    assert.deepEqual(r.assessment.offenders, [attacker]);
    assert.equal(r.sources[0]?.address, attacker);
    assert.equal(r.sources[0]?.prefix, `${attacker.split('.').slice(0, 3).join('.')}.0/24`);
    const l = listener(r);
    assert.equal(l.backlog, BACKLOG);
    assert.ok(l.synRecv >= BACKLOG, `SYN queue ${l.synRecv}/${BACKLOG}`);
    assert.ok((r.states['SYN_RECV'] ?? 0) >= BACKLOG);
    assert.ok((r.counters['TCPReqQFullDoCookies']?.perSecond ?? 0) > 500, JSON.stringify(r.counters['TCPReqQFullDoCookies']));
    assert.equal(r.sysctls['net.ipv4.tcp_syncookies'], 1);
  });
}));

test('status calls a flood from forged sources spoofed, bans nobody, and sees the cookies', needs(FLOODS, async () => {
  await withLab({ attackers: 1 }, async (lab) => {
    const r = await statusDuringFlood(lab, '198.19.0.0/16');
    assert.equal(r.assessment.kind, 'spoofed-syn-flood', r.assessment.summary);
    assert.deepEqual(r.assessment.offenders, []);
    assert.ok(r.totals.halfOpenSources >= 50, `${r.totals.halfOpenSources} distinct half-open sources`);
    assert.ok(r.sources.every((s) => s.address.startsWith('198.19.') && s.synRecv <= 3), JSON.stringify(r.sources));
    assert.ok(listener(r).synRecv >= BACKLOG);
    const sent = r.counters['SyncookiesSent']?.perSecond ?? 0;
    assert.ok(sent > 500, `cookies sent ${sent}/s`);
    assert.equal(r.counters['SyncookiesRecv']?.perSecond, 0);
  });
}));

test('the floods left nothing behind', needs(FLOODS, async () => {
  // A lab another live process owns is a concurrent run on a shared machine, not this file's leftover.
  assert.deepEqual(await listLeftovers({ excludeOthers: true }), []);
}));
