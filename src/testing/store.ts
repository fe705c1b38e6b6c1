// Test support: a store in a fresh temporary state directory, closed and removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../store/index.js';

export function withStore(fn: (store: Store) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'synguard-store-'));
  const store = openStore(dir);
  try {
    fn(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
