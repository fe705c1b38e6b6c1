// Test support: a throwaway network namespace (sgenf-<random>) with loopback up, always deleted afterwards.
import { randomBytes } from 'node:crypto';
import { execOrThrow } from '../core/exec.js';
import { addNs, deleteNs } from '../lab/netns.js';

export async function withNs<T>(fn: (ns: string) => Promise<T>): Promise<T> {
  const ns = `sgenf-${randomBytes(4).toString('hex')}`;
  await addNs(ns);
  try {
    await execOrThrow('ip', ['link', 'set', 'lo', 'up'], { netns: ns });
    return await fn(ns);
  } finally {
    const err = await deleteNs(ns);
    if (err) console.error(err);
  }
}
