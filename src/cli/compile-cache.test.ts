import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCacheDir } from './compile-cache.js';

test('the compile cache lives in the user\'s cache directory, XDG first', () => {
  assert.equal(compileCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/home/a' }, 1000), '/c/synguard/compile-cache');
  assert.equal(compileCacheDir({ HOME: '/home/a' }, 1000), '/home/a/.cache/synguard/compile-cache');
  assert.equal(compileCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/root' }, 0), '/root/.cache/synguard/compile-cache');
});

test('root without a HOME uses /var/cache/synguard; anyone else without one gets no cache, never /tmp', () => {
  assert.equal(compileCacheDir({}, 0), '/var/cache/synguard/compile-cache');
  assert.equal(compileCacheDir({ HOME: '/' }, 0), '/var/cache/synguard/compile-cache');
  assert.equal(compileCacheDir({}, 1000), null);
});
