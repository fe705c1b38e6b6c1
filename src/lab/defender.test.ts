// The lab declares a shedding server's slots in the defender's config; what a scenario declares itself wins. The
// built-in launcher's pause stops the real daemon in place, and its stop still ends it cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configFrom } from '../config/load.js';
import { runningDaemon } from '../store/pidfile.js';
import { LAB, needs } from '../testing/needs.js';
import { tempDir } from '../testing/temp.js';
import { withNs } from '../testing/test-ns.js';
import { builtinDefender, requireDefender, withDeclaredSlots } from './defender.js';

test('the builtin server\'s maxConnections becomes its declared slots, beside the scenario\'s own settings', () => {
  const config = withDeclaredSlots({ detection: { capacity: { fullFor: '2s' }, halfOpen: { ban: 40 } } }, 8080, 150);
  assert.deepEqual(config, { detection: { capacity: { fullFor: '2s', slots: { 8080: 150 } }, halfOpen: { ban: 40 } } });
  assert.deepEqual(configFrom(config).detection.capacity.slots, { 8080: 150 }, 'a config the daemon accepts');
  assert.deepEqual(withDeclaredSlots({}, 8080, 200), { detection: { capacity: { slots: { 8080: 200 } } } });
  // a scenario's own declaration for the port wins; another port's is kept
  const own = withDeclaredSlots({ detection: { capacity: { slots: { 8080: 90, 443: 10 } } } }, 8080, 150);
  assert.deepEqual(own, { detection: { capacity: { slots: { 8080: 90, 443: 10 } } } });
});

test('pause stops the daemon where it stands (SIGSTOP, noted as an action); stop resumes it, so it ends by its own SIGTERM handling', { timeout: 60_000 }, needs(LAB, async () => {
  await withNs(async (ns) => {
    const stateDir = join(tempDir('sgl-pause-'), 'state');
    const defender = await requireDefender(builtinDefender(0))({ ns, config: { http: { enabled: false } }, stateDir });
    const pid = runningDaemon(stateDir);
    assert.ok(pid !== null, 'the daemon wrote its pid file');
    const state = () => /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    assert.notEqual(state(), 'T');
    defender.pause();
    for (let i = 0; i < 100 && state() !== 'T'; i++) await new Promise((r) => setTimeout(r, 20)); // at most 2 s
    assert.equal(state(), 'T', 'stopped in place');
    assert.deepEqual(defender.actions().map((a) => a.kind), ['paused']);
    await defender.stop();
    const log = readFileSync(join(stateDir, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event?: string });
    assert.equal(log.at(-1)?.event, 'stop', 'it logged its own stop: resumed, then ended by SIGTERM, not killed');
  });
}));
