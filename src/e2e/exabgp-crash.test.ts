// End to end: ExaBGP in a crash loop under the real daemon. A stand-in `exabgp` runs the real one and kills it 2 s in,
// every time. The daemon keeps defending (a SYN flood is banned in the kernel meanwhile), says each death once, and
// starts ExaBGP again only after the back-off (60 s after the first start), not every tick.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { exec } from '../core/exec.js';
import { synFlood } from '../lab/attacks.js';
import { ROUTED, withRoutedLab } from '../lab/router.js';
import { setSysctls, startVictimServer } from '../lab/victim.js';
import { startDaemon } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';
import { wallClock } from '../testing/clock.js';
import { FLOODS, needs } from '../testing/needs.js';

const PORT = 8080;
const EXABGP = (process.env['PATH'] ?? '').split(delimiter).map((d) => join(d, 'exabgp')).find((f) => existsSync(f)) ?? '/usr/sbin/exabgp';

test('ExaBGP crash loop: the daemon keeps banning, logs each death once, restarts only after the back-off', needs([...FLOODS, 'exabgp'], async () => {
  await withRoutedLab(async (lab) => {
    const dir = tempDir('sg-exabgp-crash-');
    const standIn = join(dir, 'exabgp');
    writeFileSync(standIn, `#!/bin/sh\n${EXABGP} "$@" &\npid=$!\nsleep 2\nkill -9 $pid\necho "crash loop stand-in: killed exabgp" >&2\nexit 1\n`);
    chmodSync(standIn, 0o755);
    const config = join(dir, 'config.yaml');
    writeFileSync(config, JSON.stringify({
      http: { enabled: false },
      upstream: {
        enabled: true, interface: lab.uplink, capacityMbps: 1, ownNetworks: ROUTED.ownNetworks,
        bgp: { exabgp: standIn, peer: ROUTED.routerToVictim.v4, peerAs: ROUTED.routerAs, localAs: ROUTED.victimAs, localAddress: ROUTED.victimLink.v4 },
      },
    }));
    await setSysctls(lab.victim, { 'net.ipv4.tcp_syncookies': 1 });
    const server = await startVictimServer(lab.victim, { port: PORT, backlog: 511 });
    const d = startDaemon(lab.victim, tempDir('sg-exabgp-state-'), ['--config', config]);
    try {
      const started = await d.waitFor((l) => l.event === 'exabgp-started');
      const died = await d.waitFor((l) => l.event === 'exabgp-exited', { ms: 15_000 });
      assert.match(String(died['retry']), /^60 s$/);
      // Defending while ExaBGP is down: a concentrated flood is banned.
      const attacker = lab.attacker.v4[0]!;
      const flood = synFlood(lab.attacker, { target: ROUTED.service.v4, port: PORT, pps: 2000, maxPackets: 12_000, durationS: 6 });
      await d.waitFor((l) => l.event === 'ban' && l.value === `${attacker}/32`);
      await flood;
      const nft = (await exec('nft', ['list', 'set', 'inet', 'synguard', 'ban4'], { netns: lab.victim })).stdout;
      assert.match(nft, new RegExp(attacker.replaceAll('.', '\\.')), 'banned in the kernel while ExaBGP is down');
      // The next start comes after the back-off, not at the next tick.
      const from = d.lines.indexOf(died);
      const again = await d.waitFor((l) => l.event === 'exabgp-started', { from: from + 1, ms: 90_000, what: 'the restart after the back-off' });
      const gap = Date.parse(String(again['time'])) - Date.parse(String(started['time']));
      assert.ok(gap >= 59_000 && gap <= 75_000, `restarted ${gap} ms after the first start`);
      const second = await d.waitFor((l) => l.event === 'exabgp-exited', { from: from + 1, ms: 15_000 });
      assert.match(String(second['retry']), /^120 s$/, 'the next wait is longer');
      const lines = d.lines.filter((l) => String(l.event).startsWith('exabgp'));
      assert.deepEqual(lines.map((l) => l.event), ['exabgp-started', 'exabgp-exited', 'exabgp-started', 'exabgp-exited'], 'one line per start and per death');
      assert.equal(d.lines.filter((l) => l.event === 'tick-failed').length, 0);
      assert.equal(d.child.exitCode, null, 'the daemon is up');
      console.log(`# ExaBGP crash loop: restarted ${gap} ms after the first start; ${d.lines.length} log lines in ${((wallClock() - Date.parse(String(started['time']))) / 1000).toFixed(0)} s`);
    } finally {
      d.child.kill('SIGKILL');
      await d.exited;
      await server.stop();
    }
  });
}));
