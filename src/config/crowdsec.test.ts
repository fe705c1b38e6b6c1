// The `crowdsec` section: strict (unknown keys, both or neither of a secret and its file are errors naming the key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFrom } from './load.js';

const bad = (crowdsec: unknown, message: RegExp) => assert.throws(() => configFrom({ crowdsec }), (err: Error) => message.test(err.message));

test('the crowdsec section: defaults, exactly one of a secret or its file, unknown keys rejected', () => {
  assert.equal(configFrom({}).crowdsec, undefined, 'off by default');
  assert.equal(configFrom({}).http.bouncerStream, false);
  const c = configFrom({ crowdsec: { url: 'http://127.0.0.1:8080/', push: { login: 'a', password: 'p' }, pull: { apiKeyFile: '/etc/synguard/key' } } }).crowdsec;
  assert.equal(c?.push?.batch, 100);
  assert.equal(c?.pull?.every, 10_000);
  assert.equal(c?.pull?.max, 100_000);
  bad({ url: 'http://127.0.0.1:8080/', push: { login: 'a' } }, /crowdsec\.push.*exactly one of password or passwordFile/);
  bad({ url: 'http://127.0.0.1:8080/', pull: { apiKey: 'k', apiKeyFile: '/k' } }, /crowdsec\.pull.*exactly one of apiKey or apiKeyFile/);
  bad({ url: 'http://127.0.0.1:8080/', pull: { apiKey: 'k', evry: '10s' } }, /evry/);
  bad({ url: 'ftp://x/', pull: { apiKey: 'k' } }, /crowdsec\.url/);
  bad({ url: 'http://u:p@x/', pull: { apiKey: 'k' } }, /crowdsec\.url/);
  bad({ url: 'http://x/' }, /expected push, pull or both/);
  bad({ url: 'http://x/', pull: { apiKeyFile: 'relative' } }, /crowdsec\.pull\.apiKeyFile.*absolute/);
});
