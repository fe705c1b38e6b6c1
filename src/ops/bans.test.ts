// The ban use cases on a real store: a ban by hand is canonical and escalated by past offences, refused on the
// allow-list; an unban ends every active ban on the value; the list puts a dry run's decisions last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from '../config/load.js';
import { buildAllowList } from '../decide/index.js';
import { withStore } from '../testing/store.js';
import { T0 } from '../testing/clock.js';
import { banByHand, listedBans, unbanByHand } from './bans.js';

const config = configFrom({});
const allow = buildAllowList({ configured: ['198.18.200.0/24'] });

test('a ban by hand: canonical value, manual origin, a second offence lasts longer; the allow-list refuses', () => {
  withStore((store) => {
    const first = banByHand({ store, config, allow, now: T0 }, { target: '::ffff:198.18.7.7', for: '1h', reason: 'scraper' });
    assert.deepEqual([first.value, first.origin, first.reason, first.until - first.createdAt], ['198.18.7.7/32', 'manual', 'scraper', 3_600_000]);
    assert.deepEqual(unbanByHand({ store, now: T0 + 1000 }, '198.18.7.7/32', 'test').map((d) => d.id), [first.id]);
    assert.deepEqual(unbanByHand({ store, now: T0 + 1000 }, '198.18.7.7/32', 'test'), [], 'nothing left to end');
    const auto = { scope: 'ip', value: '198.18.9.9/32', action: 'ban', reason: 'x', evidence: [], origin: 'auto', createdAt: T0, until: T0 + 1000, offence: 1 } as const;
    store.decisions.insert(auto);
    const again = banByHand({ store, config, allow, now: T0 + 2000 }, { target: '198.18.9.9' });
    assert.equal(again.offence, 2, 'the earlier ban counts');
    assert.throws(() => banByHand({ store, config, allow, now: T0 }, { target: '198.18.200.5' }), /allow-list/);
    assert.throws(() => banByHand({ store, config, allow, now: T0 }, { target: '198.18.1.1;reboot' }), /not an IP address/);
  });
});

test('the listed bans: the real ones, then a dry run\'s', () => {
  withStore((store) => {
    const base = { scope: 'ip', action: 'ban', reason: 'x', evidence: [], origin: 'auto', createdAt: T0, until: T0 + 60_000, offence: 1 } as const;
    store.decisions.insert({ ...base, value: '198.18.0.1/32', dryRun: true });
    store.decisions.insert({ ...base, value: '198.18.0.2/32' });
    assert.deepEqual(listedBans(store, T0).map((d) => [d.value, d.dryRun]), [['198.18.0.2/32', false], ['198.18.0.1/32', true]]);
  });
});
