// Lab naming: every namespace and interface of one run carries the prefix `sgl-<6 hex>-`, so runs never collide.
import { randomBytes } from 'node:crypto';

/** Every object the lab creates starts with this; `lab down` and the leftover check look for it. */
export const LAB_PREFIX = 'sgl-';

/** A fresh run id: six hex digits. */
export function newLabId(random: (n: number) => Buffer = randomBytes): string {
  return random(3).toString('hex');
}

/** The namespace name for a role in run `id`, e.g. `sgl-1a2b3c-victim`. */
export function nsName(id: string, role: string): string {
  return `${LAB_PREFIX}${id}-${role}`;
}

/** A veth name for link `index` on the victim (`v`) or peer (`p`) side; at most 13 characters (kernel limit 15). */
export function vethName(id: string, side: 'v' | 'p', index: number): string {
  const name = `${LAB_PREFIX}${id}-${side}${index}`;
  if (name.length > 15) throw new Error(`interface name ${name} is longer than 15 characters`);
  return name;
}

/** The run id inside a lab name, or null when the name is not the lab's. */
export function labIdOf(name: string): string | null {
  const m = /^sgl-([0-9a-f]{6})-/.exec(name);
  return m ? (m[1] ?? null) : null;
}
