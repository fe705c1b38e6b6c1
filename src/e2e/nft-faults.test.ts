// End to end, nftables under faults: the real daemon in a lab victim namespace, with `nft` replaced through PATH (the
// daemon finds nft on PATH like every tool; a test puts a stand-in first, or leaves nft out). Missing: it falls back
// to route blackholes and defends. Slow (2 s a call): it defends, later. Failing every transaction: it says so each
// tick, applies nothing half-way, and the ban lands once nft works again. Never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { exec } from '../core/exec.js';
import { canConnect } from '../testing/connect-probe.js';
import { withLab, type Lab } from '../lab/topology.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { synFlood } from '../lab/attacks.js';
import { startDaemon } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';
import { wallClock } from '../testing/clock.js';
import { FLOODS, needs } from '../testing/needs.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PORT = 8080;
const PATH = process.env['PATH'] ?? '';
const REAL_NFT = PATH.split(delimiter).map((d) => join(d, 'nft')).find((f) => existsSync(f)) ?? '/usr/sbin/nft';

/** The environment with PATH = a directory holding this `nft` script, then the usual PATH. */
function withStandIn(script: string): NodeJS.ProcessEnv {
  const dir = tempDir('sg-nft-');
  writeFileSync(join(dir, 'nft'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(dir, 'nft'), 0o755);
  return { ...process.env, PATH: `${dir}${delimiter}${PATH}` };
}

/** The environment with every PATH directory that holds an `nft` left out. */
function withoutNft(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: PATH.split(delimiter).filter((d) => !existsSync(join(d, 'nft'))).join(delimiter) };
}

async function storedBans(ns: string, state: string): Promise<string[]> {
  const out = await exec(process.execPath, [CLI, 'bans', '--json', '--state-dir', state], { netns: ns });
  assert.equal(out.exitCode, 0, out.stderr);
  return (JSON.parse(out.stdout) as Array<{ value: string }>).map((b) => b.value).sort();
}

async function nftBan4(ns: string): Promise<string> {
  return (await exec(REAL_NFT, ['list', 'set', 'inet', 'synguard', 'ban4'], { netns: ns })).stdout;
}

/** A lab with a victim server, the daemon started with `env`, its stderr kept; always torn down. */
async function withDefender(env: NodeJS.ProcessEnv, fn: (lab: Lab, d: ReturnType<typeof startDaemon>, state: string, stderr: () => string) => Promise<void>): Promise<void> {
  await withLab({ attackers: 1 }, async (lab) => {
    await setSysctls(lab.victim.ns, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(lab.victim.ns, { port: PORT, backlog: 511 });
    const state = tempDir('sg-e2e-nft-');
    const d = startDaemon(lab.victim.ns, state, [], env);
    let stderr = '';
    d.child.stderr?.on('data', (b: Buffer) => { stderr += b.toString(); });
    try {
      await fn(lab, d, state, () => stderr);
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await server.stop();
    }
  });
}

const flood = (lab: Lab, seconds: number) =>
  synFlood(lab.attackers[0]!, { target: lab.victim.v4[0]!, port: PORT, pps: 2000, maxPackets: 2000 * seconds, durationS: seconds });
const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+\)?/, 'no stack trace');

test('nft missing: the daemon falls back to route blackholes, says so once, and bans the flood; store and kernel agree', needs(FLOODS, async () => {
  await withDefender(withoutNft(), async (lab, d, state, stderr) => {
    const fallback = await d.waitFor((l) => l.event === 'backend-fallback');
    assert.match(String(fallback['warning']), /nft/);
    await d.waitFor((l) => l.event === 'reconcile');
    const attacker = lab.attackers[0]!.v4[0]!;
    const flooding = flood(lab, 6);
    await d.waitFor((l) => l.event === 'ban' && l.value === `${attacker}/32`);
    await d.waitFor((l) => l.event === 'commit');
    await flooding;
    const routes = (await exec('ip', ['-4', 'route', 'show', 'type', 'blackhole'], { netns: lab.victim.ns })).stdout;
    assert.match(routes, new RegExp(`^blackhole ${attacker.replaceAll('.', '\\.')}\\b`, 'm'), 'in the kernel as a blackhole route');
    assert.deepEqual(await storedBans(lab.victim.ns, state), [`${attacker}/32`], 'the store holds what the kernel holds');
    assert.equal(routes.trim().split('\n').filter((l) => l.startsWith('blackhole')).length, 1, 'and nothing else');
    assert.ok(!(await canConnect(lab.attackers[0]!.ns, attacker, lab.victim.v4[0]!, PORT)), 'the attacker is blocked');
    assert.equal(d.lines.filter((l) => l.event === 'backend-fallback').length, 1, 'said once');
    assert.equal(d.lines.filter((l) => l.event === 'tick-failed').length, 0);
    assert.equal(d.child.exitCode, null, 'still running');
    noStack(stderr());
  });
}));

test('nft slow (2 s a call): the daemon keeps defending; the flood is banned in the kernel, later', needs(FLOODS, async () => {
  await withDefender(withStandIn(`sleep 2\nexec ${REAL_NFT} "$@"`), async (lab, d, state, stderr) => {
    await d.waitFor((l) => l.event === 'reconcile', { ms: 60_000 });
    const attacker = lab.attackers[0]!.v4[0]!;
    const started = wallClock();
    const flooding = flood(lab, 10);
    await d.waitFor((l) => l.event === 'ban' && l.value === `${attacker}/32`, { ms: 30_000 });
    await d.waitFor((l) => l.event === 'commit', { ms: 30_000 });
    const committedMs = wallClock() - started;
    await flooding;
    assert.match(await nftBan4(lab.victim.ns), new RegExp(attacker.replaceAll('.', '\\.')), 'in the kernel');
    assert.deepEqual(await storedBans(lab.victim.ns, state), [`${attacker}/32`]);
    assert.equal(d.child.exitCode, null, 'still running');
    noStack(stderr());
    console.log(`# nft slow: flood start to ban committed ${committedMs} ms; ${d.lines.filter((l) => l.event === 'tick-failed').length} tick-failed lines`);
  });
}));

test('nft failing every transaction for 3 s: commit-failed and retried, nothing half-applied; once nft works the ban lands and store and kernel agree', needs(FLOODS, async () => {
  const flag = join(tempDir('sg-nft-flag-'), 'fail');
  const script = `if [ "$1" = "-f" ] && [ -e ${flag} ]; then echo "Error: injected failure" >&2; exit 1; fi\nexec ${REAL_NFT} "$@"`;
  await withDefender(withStandIn(script), async (lab, d, state, stderr) => {
    await d.waitFor((l) => l.event === 'reconcile');
    writeFileSync(flag, '');
    const attacker = lab.attackers[0]!.v4[0]!;
    const flooding = flood(lab, 8);
    await d.waitFor((l) => l.event === 'ban' && l.value === `${attacker}/32`);
    const failed = await d.waitFor((l) => l.event === 'commit-failed');
    assert.match(String(failed['error']), /injected failure/);
    assert.doesNotMatch(await nftBan4(lab.victim.ns), new RegExp(attacker.replaceAll('.', '\\.')), 'nothing applied while nft fails');
    await sleep(3000);
    assert.ok(d.lines.filter((l) => l.event === 'commit-failed').length >= 2, 'retried');
    const at = d.lines.length;
    rmSync(flag);
    await d.waitFor((l) => l.event === 'commit', { from: at });
    await flooding;
    assert.match(await nftBan4(lab.victim.ns), new RegExp(attacker.replaceAll('.', '\\.')), 'applied once nft works');
    assert.deepEqual(await storedBans(lab.victim.ns, state), [`${attacker}/32`]);
    assert.equal(d.child.exitCode, null, 'still running');
    noStack(stderr());
    console.log(`# nft failing: ${d.lines.filter((l) => l.event === 'commit-failed').length} commit-failed lines, ${d.lines.filter((l) => l.event === 'tick-failed').length} tick-failed`);
  });
}));
