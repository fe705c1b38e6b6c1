import { test } from 'node:test';
import assert from 'node:assert/strict';
import { T0 } from '../testing/clock.js';
import { logFor, textLog } from './log.js';

test('text logs: time, level, event, then key=value; strings with spaces quoted, the rest as compact JSON', () => {
  const lines: string[] = [];
  const log = textLog((l) => lines.push(l), () => T0 + 250);
  log('warn', 'ban', { value: '198.18.2.2/32', origin: 'kernel', reason: 'SYN flood (kernel meter)', evidence: ['a b'], offence: 1 });
  log('info', 'stop');
  assert.deepEqual(lines, [
    '12:00:00.250 WARN  ban value=198.18.2.2/32 origin=kernel reason="SYN flood (kernel meter)" evidence=["a b"] offence=1\n',
    '12:00:00.250 INFO  stop\n',
  ]);
});

test('JSON lines stay the default off a terminal; text on one; an explicit choice wins', () => {
  const probe = (format: 'json' | 'text' | undefined, tty: boolean): string => {
    let out = '';
    logFor(format, tty, (l) => (out += l))('info', 'start');
    return out.startsWith('{') ? 'json' : 'text';
  };
  assert.equal(probe(undefined, false), 'json');
  assert.equal(probe(undefined, true), 'text');
  assert.equal(probe('json', true), 'json');
  assert.equal(probe('text', false), 'text');
});
