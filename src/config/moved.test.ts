// Keys from before the `detection` section: each names its new place, in one line, before anything is validated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MOVED_KEYS, movedKeys } from './moved.js';
import { configFrom, parseConfig } from './load.js';

const error = (yaml: string): string => {
  try {
    parseConfig(yaml, 'c.yaml');
  } catch (err) {
    assert.equal((err as { code?: string }).code, 'config');
    return (err as Error).message;
  }
  return assert.fail(`accepted: ${yaml}`);
};

test('every moved key names its new place', () => {
  const cases: Array<[string, string]> = [
    ['assessment: {}', 'assessment: moved to detection'],
    ['assessment:\n  synFlood: {}', 'assessment.synFlood: moved to detection.synFlood'],
    ['assessment:\n  synFlood:\n    minHalfOpen: 300', 'assessment.synFlood.minHalfOpen: moved to detection.synFlood.minHalfOpen'],
    ['assessment:\n  synFlood:\n    perSourceHalfOpen: 40', 'assessment.synFlood.perSourceHalfOpen: moved to detection.halfOpen.ban'],
    ['assessment:\n  spoofed:\n    minSources: 100', 'assessment.spoofed: moved to detection.spoofed'],
    ['assessment:\n  connectionFlood: {}', 'assessment.connectionFlood: moved to detection.established'],
    ['assessment:\n  connectionFlood:\n    perSourceEstablished: 60', 'assessment.connectionFlood.perSourceEstablished: moved to detection.established.ban'],
    ['assessment:\n  connectionFlood:\n    maxOffenders: 8', 'assessment.connectionFlood.maxOffenders: moved to detection.established.maxOffenders'],
    ['assessment:\n  weakConfig:\n    maxSynackRetries: 3', 'assessment.weakConfig: moved to detection.weakConfig'],
    ['defender:\n  detection: {}', 'defender.detection: moved to detection'],
    ['defender:\n  detection:\n    halfOpen: { ban: 40 }', 'defender.detection.halfOpen: moved to detection.halfOpen'],
    ['defender:\n  detection:\n    newPerSecond: { ban: 80 }', 'defender.detection.newPerSecond: removed: the kernel SYN-rate meter (detection.synRate) measures what a source sends'],
    ['defender:\n  synRate:\n    perSource: 80', 'defender.synRate: moved to detection.synRate'],
  ];
  for (const [yaml, line] of cases) assert.equal(error(yaml), `c.yaml: ${line}`, yaml);
  // every entry of the table is exercised above
  const covered = new Set(cases.map(([, line]) => line.slice(0, line.indexOf(':'))));
  for (const key of Object.keys(MOVED_KEYS)) assert.ok(covered.has(key), `${key} is tested`);
});

test('several old keys: one line, each key once, in file order; checked before validation', () => {
  const yaml = [
    'assessment:',
    '  synFlood: { perSourceHalfOpen: 40, maxOffenders: 10 }',
    '  connectionFlood: { perSourceEstablished: 60, maxOffenders: 8 }',
    'defender:',
    '  interval: 0',
    '  detection: { established: { ban: 60 }, newPerSecond: { ban: 80 } }',
    '  synRate: { perSource: 80 }',
  ].join('\n');
  assert.equal(error(yaml), 'c.yaml: ' + [
    'assessment.synFlood.perSourceHalfOpen: moved to detection.halfOpen.ban',
    'assessment.synFlood.maxOffenders: moved to detection.synFlood.maxOffenders',
    'assessment.connectionFlood.perSourceEstablished: moved to detection.established.ban',
    'assessment.connectionFlood.maxOffenders: moved to detection.established.maxOffenders',
    'defender.detection.established: moved to detection.established',
    'defender.detection.newPerSecond: removed: the kernel SYN-rate meter (detection.synRate) measures what a source sends',
    'defender.synRate: moved to detection.synRate',
  ].join('; '));
  assert.throws(() => configFrom({ defender: { synRate: {} } }), { message: 'config: defender.synRate: moved to detection.synRate' });
});

test('a config without old keys is untouched; odd values do not confuse the check', () => {
  assert.deepEqual(movedKeys({ detection: { halfOpen: { ban: 40 } }, defender: { interval: 2 } }), []);
  assert.deepEqual(movedKeys(null), []);
  assert.deepEqual(movedKeys({ defender: null, assessment: null }), ['assessment: moved to detection']);
  assert.deepEqual(movedKeys({ defender: { detection: [1] } }), ['defender.detection: moved to detection']);
});
