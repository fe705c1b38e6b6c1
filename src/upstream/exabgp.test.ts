// The speaker and the real relay against a stand-in for ExaBGP that runs the config's API process the way ExaBGP
// does (stdin/stdout pipes), logs each command and answers "done" (or "error" for 198.18.1.66). No BGP, no network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { configFrom } from '../config/load.js';
import { spawnLong } from '../core/exec.js';
import type { AnnouncementSpec } from './announcement.js';
import { exabgpConfig } from './exabgp-config.js';
import { ExabgpSpeaker, RELAY_PATH } from './exabgp.js';
import { tempDir } from '../testing/temp.js';

const FAKE = `#!/usr/bin/python3
import os, re, signal, subprocess, sys
log = open(os.environ['FAKE_EXABGP_LOG'], 'a')
def note(text):
    log.write(text + '\\n'); log.flush()
signal.signal(signal.SIGTERM, lambda *a: (note('SIGTERM'), os._exit(0)))
run = re.search(r'run (.+);', open(sys.argv[1]).read()).group(1).split()
p = subprocess.Popen(run, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write(b'neighbor 198.51.100.1 up\\n\\n'); p.stdin.flush()
for line in p.stdout:
    cmd = line.decode().strip()
    note(cmd)
    p.stdin.write(b'error\\n' if '198.18.1.66' in cmd else b'done\\n'); p.stdin.flush()
note('relay gone')
signal.pause()
`;

function setup(exabgp?: string) {
  const dir = tempDir('sg-exabgp-');
  const fake = join(dir, 'fake-exabgp');
  writeFileSync(fake, FAKE);
  chmodSync(fake, 0o755);
  const logFile = join(dir, 'commands.log');
  writeFileSync(logFile, '');
  process.env['FAKE_EXABGP_LOG'] = logFile;
  const cfg = configFrom({ upstream: { bgp: { exabgp: exabgp ?? fake, peer: '198.51.100.1', peerAs: 64500, localAs: 64501, localAddress: '198.51.100.2' } } }).upstream;
  const events: string[] = [];
  const speaker = new ExabgpSpeaker(cfg, join(dir, 'state'), { ipv4: '198.51.100.2', ipv6: null }, (_level, event) => events.push(event));
  const commands = () => readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
  return { dir, cfg, speaker, commands, events, fake, logFile };
}

async function until(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++, await sleep(50)) if (pred()) return;
  assert.fail(`never: ${what}`);
}

const rate: AnnouncementSpec = { kind: 'flowspec-rate-limit', prefix: '198.18.1.2/32', port: 80, bytesPerSecond: 12800 };
const rtbh: AnnouncementSpec = { kind: 'rtbh', prefix: '198.18.1.2/32', port: null, bytesPerSecond: null };

test('sync sends the diff, acknowledged command by command; an error is retried; stop ends ExaBGP', async () => {
  const { speaker, commands } = setup();
  try {
    assert.equal(await speaker.start(), true, speaker.status().error ?? '');
    await until(() => speaker.status().peers['198.51.100.1'] === 'up', 'the neighbour change reaches the status');
    await speaker.sync([rate, rtbh]);
    assert.deepEqual(commands(), [
      'announce flow route { match { destination 198.18.1.2/32; destination-port =80; protocol =tcp; tcp-flags [ syn ]; } then { rate-limit 12800; } }',
      'announce route 198.18.1.2/32 next-hop 198.51.100.2 community [65535:666]',
    ]);
    await speaker.sync([rate, rtbh]);
    assert.equal(commands().length, 2, 'nothing resent when nothing changed');
    // discard replaces the rate-limit (one NLRI: announced over it, never withdrawn first); the RTBH route goes.
    await speaker.sync([{ ...rate, kind: 'flowspec-discard', bytesPerSecond: null }]);
    assert.deepEqual(commands().slice(2), [
      'withdraw route 198.18.1.2/32 next-hop 198.51.100.2',
      'announce flow route { match { destination 198.18.1.2/32; destination-port =80; protocol =tcp; tcp-flags [ syn ]; } then { discard; } }',
    ]);
    const refused = { ...rtbh, prefix: '198.18.1.66/32' };
    await speaker.sync([refused]);
    assert.deepEqual(speaker.status().announced, [], 'an "error" answer is not counted as announced');
    await speaker.sync([refused]);
    assert.equal(commands().filter((c) => c.includes('198.18.1.66')).length, 2, 'and it is tried again');
  } finally {
    await speaker.stop();
  }
  assert.ok(commands().includes('SIGTERM'), 'ExaBGP was stopped');
  assert.equal(speaker.status().state, 'stopped');
});

test('the relay stops ExaBGP when synguard is not there: nothing outlives synguard', async () => {
  const { dir, cfg, commands, fake } = setup();
  const conf = join(dir, 'exabgp.conf');
  writeFileSync(conf, exabgpConfig(cfg.bgp, { relay: RELAY_PATH, socket: join(dir, 'nobody-listens.sock') }));
  const proc = spawnLong(fake, [conf]);
  await proc.exited;
  assert.ok(commands().includes('SIGTERM'), commands().join(' | '));
});

test('a missing ExaBGP, or one that exits at start, is one clear error', async () => {
  const missing = setup('/nonexistent/exabgp');
  assert.equal(await missing.speaker.start(), false);
  assert.deepEqual([missing.speaker.status().state, missing.speaker.status().error], ['failed', '/nonexistent/exabgp is not installed (Debian package exabgp)']);
  const broken = setup('/bin/false');
  assert.equal(await broken.speaker.start(), false);
  assert.match(broken.speaker.status().error ?? '', /^ExaBGP exited with code 1 at start/);
  await broken.speaker.sync([rate]);
  assert.ok(existsSync(join(broken.dir, 'state', 'exabgp', 'exabgp.conf')), 'the generated config is kept for inspection');
});
