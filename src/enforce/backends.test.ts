// Unit tests for the small backends and helpers: route/ipset command text, dry-run, and backend selection.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Exec, ExecResult } from '../core/exec.js';
import { parseCidr } from '../core/address.js';
import type { Change } from './buffer.js';
import { DryRunEnforcer } from './dry-run.js';
import { parseIpsetSave, restoreLines } from './ipset-script.js';
import { parseRouteJson, routeLines, routePlan } from './route-script.js';
import { selectEnforcer } from './select.js';

const NOW = 1_800_000_000_000;
const ch = (value: string, until: number | null): Change => ({ cidr: parseCidr(value), value, until });
const result = (over: Partial<ExecResult>): ExecResult => ({ command: 'x', exitCode: 0, stdout: '', stderr: '', failed: false, timedOut: false, ...over });

describe('route commands', () => {
  it('plans only real changes and tags every line with proto 91', () => {
    const plan = routePlan(new Set(['198.51.100.7/32', '2001:db8::/64']), [ch('198.51.100.7/32', NOW + 1), ch('203.0.113.0/24', NOW + 1), ch('2001:db8::/64', null), ch('192.0.2.1/32', null)], NOW);
    assert.deepEqual(routeLines('blackhole', plan), ['route del blackhole 2001:db8::/64 proto 91', 'route add blackhole 203.0.113.0/24 proto 91']);
  });

  it('reads ip -j output, hosts without a length', () => {
    const json = '[{"type":"blackhole","dst":"198.18.1.0/24","flags":[]},{"type":"blackhole","dst":"198.18.2.7","flags":[]},{"type":"blackhole","dst":"2001:db8::5","dev":"lo"}]';
    assert.deepEqual(parseRouteJson(json), ['198.18.1.0/24', '198.18.2.7/32', '2001:db8::5/128']);
  });
});

describe('ipset commands', () => {
  it('restore lines with whole-second timeouts rounded up', () => {
    assert.deepEqual(restoreLines([ch('198.51.100.7/32', NOW + 1500), ch('2001:db8::/64', null), ch('203.0.113.0/24', NOW - 1)], NOW), [
      'add synguard4 198.51.100.7/32 timeout 2',
      'del synguard6 2001:db8::/64',
      'del synguard4 203.0.113.0/24',
    ]);
  });

  it('reads ipset save output', () => {
    const text = 'create synguard4 hash:net family inet hashsize 1024 maxelem 1048576 timeout 0\nadd synguard4 198.18.1.0/24 timeout 59\nadd synguard4 198.18.1.7 timeout 89\n';
    assert.deepEqual(parseIpsetSave(text, NOW), [{ value: '198.18.1.0/24', until: NOW + 59_000 }, { value: '198.18.1.7/32', until: NOW + 89_000 }]);
  });
});

describe('dry-run', () => {
  it('logs and applies nothing, but lists its would-be state', async () => {
    const lines: string[] = [];
    const e = new DryRunEnforcer((l) => lines.push(l));
    e.add({ value: '198.51.100.7', family: 4, until: NOW + 1000 });
    e.add({ value: '2001:db8::/64', family: 6, until: NOW + 5000 });
    assert.deepEqual(await e.commit(NOW), { added: 2, deleted: 0 });
    e.delete('2001:db8::/64');
    await e.commit(NOW);
    assert.match(lines.join('\n'), /would ban 198\.51\.100\.7\/32 until .*would unban 2001:db8::\/64/s);
    assert.deepEqual(await e.list(NOW), [{ value: '198.51.100.7/32', until: NOW + 1000 }]);
    assert.deepEqual(await e.list(NOW + 1000), []);
  });
});

describe('selectEnforcer', () => {
  it('falls back to route with a warning when nft is missing', async () => {
    const noNft: Exec = (file) => Promise.resolve(file === 'nft' ? result({ failed: true, exitCode: null, spawnError: 'ENOENT' }) : result({ stdout: '[]' }));
    const s = await selectEnforcer('nftables', { exec: noNft });
    assert.equal(s.enforcer.name, 'route');
    assert.match(s.warning ?? '', /nftables backend cannot run \(nft is not installed: apt-get install nftables\); falling back to route/);
  });

  it('keeps nftables when it works, and fails plainly when nothing can run', async () => {
    const ok: Exec = () => Promise.resolve(result({}));
    assert.equal((await selectEnforcer('nftables', { exec: ok })).enforcer.name, 'nftables');
    const none: Exec = () => Promise.resolve(result({ failed: true, exitCode: null, spawnError: 'ENOENT' }));
    await assert.rejects(selectEnforcer('ipset', { exec: none }), /no backend can run: ipset: ipset is not installed: apt-get install ipset/);
  });
});
