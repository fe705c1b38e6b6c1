// The notify section: defaults, and each bad value named by its key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom, parseConfig } from './load.js';

test('defaults: no destination, 10 s ban window, 5 retries', () => {
  const { notify } = configFrom({});
  assert.deepEqual(notify, { webhooks: [], commands: [], banBatch: 10_000, banSample: 20, retries: 5, queue: 100 });
});

test('a full section parses: headers kept, durations in ms', () => {
  const { notify } = parseConfig(`
notify:
  webhooks:
    - url: https://hooks.example.net/synguard?k=1
      headers: { Authorization: "Bearer abc", X-Team: ops }
      timeout: 3s
  commands:
    - run: [/usr/local/bin/page-me, --urgent]
  banBatch: 30s
  retries: 2
`);
  assert.equal(notify.webhooks[0]?.timeout, 3000);
  assert.deepEqual(notify.webhooks[0]?.headers, { Authorization: 'Bearer abc', 'X-Team': 'ops' });
  assert.deepEqual(notify.commands[0], { run: ['/usr/local/bin/page-me', '--urgent'], timeout: 10_000 });
  assert.equal(notify.banBatch, 30_000);
});

const rejects = (input: unknown, pattern: RegExp) => assert.throws(() => configFrom(input), (err: Error) => {
  assert.match(err.message, pattern);
  return true;
});

test('each bad value is named by its key', () => {
  rejects({ notify: { webhooks: [{ url: 'ftp://198.18.0.1/x' }] } }, /notify\.webhooks\.0\.url: expected an http:\/\/ or https:\/\/ URL.*found "ftp/);
  rejects({ notify: { webhooks: [{ url: 'not a url' }] } }, /notify\.webhooks\.0\.url:/);
  rejects({ notify: { webhooks: [{ url: 'https://u:p@198.18.0.1/' }] } }, /notify\.webhooks\.0\.url: .*without user:password/);
  rejects({ notify: { webhooks: [{ url: 'http://198.18.0.1/', secret: 'x' }] } }, /notify\.webhooks\.0\.secret: unknown key/);
  rejects({ notify: { webhooks: [{ url: 'http://198.18.0.1/', headers: { 'Bad Name': 'x' } }] } }, /notify\.webhooks\.0\.headers\."Bad Name"/);
  rejects({ notify: { webhooks: [{ url: 'http://198.18.0.1/', headers: { X: 'a\r\nInjected: 1' } }] } }, /notify\.webhooks\.0\.headers\.X: expected a header value on one line/);
  rejects({ notify: { webhooks: [{ url: 'http://198.18.0.1/', timeout: 5 }] } }, /notify\.webhooks\.0\.timeout: expected a duration/);
  rejects({ notify: { commands: [{ run: 'curl -X POST x' }] } }, /notify\.commands\.0\.run:/);
  rejects({ notify: { commands: [{ run: ['notify-send', 'hi'] }] } }, /notify\.commands\.0\.run: expected an absolute program path/);
  rejects({ notify: { commands: [{ run: [] }] } }, /notify\.commands\.0\.run: expected \[program, args...\]/);
  rejects({ notify: { banBatch: '0s' } }, /notify\.banBatch: expected a duration from 1s to 10m/);
  rejects({ notify: { retries: 50 } }, /notify\.retries:/);
  rejects({ notify: { webhook: [] } }, /notify\.webhook: unknown key/);
});
