// The repositories with a fixed clock: decisions (active, end, extend, offences, caps), sysctl originals, events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../core/decision.js';
import { withStore } from '../testing/store.js';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

function ban(value: string, at: number, minutes: number, extra: Partial<Decision> = {}): Decision {
  return {
    scope: value.endsWith('/32') || value.endsWith('/128') ? 'ip' : 'prefix', value, action: 'ban',
    reason: 'half-open 812 ≥ 32', evidence: ['synRecv=812'], origin: 'auto', createdAt: at, until: at + minutes * MIN, offence: 1, ...extra,
  };
}

test('decisions: insert gives ids; active depends on now; evidence round-trips', () => {
  withStore(({ decisions }) => {
    const a = decisions.insert(ban('198.51.100.7/32', T0, 10));
    const [b] = decisions.insertMany([ban('2001:db8:1::/64', T0, 60), ban('203.0.113.0/24', T0, 5, { origin: 'manual' })]);
    assert.ok(a.id > 0 && b !== undefined && b.id > a.id);
    assert.equal(decisions.active(T0 + MIN).length, 3);
    assert.deepEqual(decisions.active(T0 + 7 * MIN).map((d) => d.value), ['198.51.100.7/32', '2001:db8:1::/64']);
    assert.deepEqual(decisions.active(T0 + 10 * MIN).map((d) => d.value), ['2001:db8:1::/64'], 'until is exclusive');
    assert.deepEqual(decisions.findActive('198.51.100.7/32', T0)?.evidence, ['synRecv=812']);
    assert.equal(decisions.findActive('198.51.100.7/32', T0 + 11 * MIN), undefined);
  });
});

test('decisions: an unban ends the active decision, recording who and when; history keeps it', () => {
  withStore(({ decisions }) => {
    decisions.insert(ban('198.51.100.7/32', T0, 10));
    const ended = decisions.endValue('198.51.100.7/32', { now: T0 + MIN, by: 'cli', kind: 'unban' });
    assert.equal(ended.length, 1);
    assert.equal(ended[0]?.endedBy, 'cli');
    assert.equal(ended[0]?.endedAt, T0 + MIN);
    assert.equal(decisions.active(T0 + 2 * MIN).length, 0);
    assert.equal(decisions.endValue('198.51.100.7/32', { now: T0 + 2 * MIN, by: 'cli', kind: 'unban' }).length, 0, 'nothing left to end');
    const [h] = decisions.history();
    assert.equal(h?.endKind, 'unban');
    assert.equal(decisions.byValue('198.51.100.7/32').length, 1);
  });
});

test('decisions: end by id, and extend only moves an active decision later', () => {
  withStore(({ decisions }) => {
    const d = decisions.insert(ban('198.51.100.7/32', T0, 10));
    assert.equal(decisions.extend(d.id, T0 + 5 * MIN, T0), false, 'not earlier');
    assert.equal(decisions.extend(d.id, T0 + 30 * MIN, T0), true);
    assert.equal(decisions.findActive(d.value, T0 + 20 * MIN)?.until, T0 + 30 * MIN);
    assert.equal(decisions.end(d.id, { now: T0 + MIN, by: 'superseded by 198.51.100.0/24', kind: 'superseded' }), true);
    assert.equal(decisions.end(d.id, { now: T0 + MIN, by: 'again', kind: 'unban' }), false);
    assert.equal(decisions.extend(d.id, T0 + 60 * MIN, T0 + 2 * MIN), false, 'an ended decision stays ended');
  });
});

test('decisions: offences counted within the memory window; an unbanned one is forgiven', () => {
  withStore(({ decisions }) => {
    const v = '198.51.100.7/32';
    decisions.insert(ban(v, T0 - 40 * 24 * 60 * MIN, 10)); // 40 days ago: forgotten with a 30-day window
    decisions.insert(ban(v, T0 - 2 * 24 * 60 * MIN, 10));
    decisions.insert(ban(v, T0 - 60 * MIN, 10));
    decisions.insert(ban(v, T0 - 30 * MIN, 10));
    decisions.endValue(v, { now: T0 - 25 * MIN, by: 'cli', kind: 'unban' });
    const counts = decisions.offences([v, '203.0.113.0/24', v], T0, 30 * 24 * 60 * MIN);
    assert.equal(counts.get(v), 2);
    assert.equal(counts.get('203.0.113.0/24'), 0);
  });
});

test('decisions: caps read the active auto-bans and the auto-bans of the last minute', () => {
  withStore(({ decisions }) => {
    decisions.insertMany([
      ban('198.51.100.1/32', T0 - 5 * MIN, 10),
      ban('198.51.100.2/32', T0 - 30_000, 10),
      ban('198.51.100.3/32', T0 - 10_000, 10, { origin: 'manual' }),
      ban('198.51.100.4/32', T0 - 20 * MIN, 10), // expired
    ]);
    assert.equal(decisions.activeAutoCount(T0), 2);
    assert.equal(decisions.autoCreatedSince(T0 - MIN), 1);
  });
});

test('decisions: purge forgets only what ended before the cut-off', () => {
  withStore(({ decisions }) => {
    decisions.insert(ban('198.51.100.1/32', T0 - 60 * MIN, 10)); // ended T0 - 50m
    const early = decisions.insert(ban('198.51.100.2/32', T0 - 60 * MIN, 600)); // unbanned at T0 - 55m
    decisions.end(early.id, { now: T0 - 55 * MIN, by: 'cli', kind: 'unban' });
    decisions.insert(ban('198.51.100.3/32', T0 - 60 * MIN, 120)); // still active
    assert.equal(decisions.purge(T0 - 52 * MIN), 1, 'only the unbanned one ended before T0-52m');
    assert.equal(decisions.purge(T0), 1);
    assert.deepEqual(decisions.history().map((d) => d.value), ['198.51.100.3/32']);
  });
});

test('sysctl originals: saved once, read back, cleared once restored', () => {
  withStore(({ sysctls }) => {
    assert.equal(sysctls.saveOnce('net.ipv4.tcp_synack_retries', '5', T0), true);
    assert.equal(sysctls.saveOnce('net.ipv4.tcp_synack_retries', '2', T0 + 1), false, 'the first original wins');
    sysctls.saveOnce('net.core.somaxconn', '4096', T0);
    assert.deepEqual([...sysctls.originals()], [['net.core.somaxconn', '4096'], ['net.ipv4.tcp_synack_retries', '5']]);
    sysctls.clear(['net.core.somaxconn']);
    assert.deepEqual([...sysctls.originals().keys()], ['net.ipv4.tcp_synack_retries']);
    sysctls.clear();
    assert.equal(sysctls.originals().size, 0);
  });
});

test('events: start, open after a restart, end with a final summary, newest first', () => {
  withStore(({ events }) => {
    const a = events.start('syn-flood', '1 source, 2,100 SYN/s', T0, { sources: 1 });
    const b = events.start('spoofed-syn-flood', '90,000 sources', T0 + MIN);
    assert.deepEqual(events.open().map((e) => e.id), [a, b]);
    assert.equal(events.end(a, T0 + 2 * MIN, { summary: '1 source banned' }), true);
    assert.equal(events.end(a, T0 + 3 * MIN), false);
    const list = events.list();
    assert.deepEqual(list.map((e) => e.kind), ['spoofed-syn-flood', 'syn-flood']);
    assert.equal(list[1]?.summary, '1 source banned');
    assert.deepEqual(list[1]?.detail, { sources: 1 });
    assert.equal(list[1]?.endedAt, T0 + 2 * MIN);
    assert.deepEqual(events.list({ since: T0 + 30_000 }).map((e) => e.id), [b]);
  });
});

test('a transaction is all or nothing', () => {
  withStore((store) => {
    assert.throws(() => store.transaction(() => {
      store.decisions.insert(ban('198.51.100.9/32', T0, 10));
      throw new Error('enforcer said no');
    }));
    assert.equal(store.decisions.active(T0).length, 0);
  });
});
