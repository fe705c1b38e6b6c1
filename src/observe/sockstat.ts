// TIME_WAIT sockets of this network namespace, IPv4 and IPv6 together, from /proc/net/sockstat's "TCP: ... tw N":
// a count the kernel keeps, read without walking the table.
import { readFileSync } from 'node:fs';

/** The `tw` figure of the "TCP:" line; null when the text has none. */
export function parseTimeWait(text: string): number | null {
  const m = /^TCP: .*\btw (\d+)\b/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** Reads it; null when the file is unreadable or has no such figure (the caller then walks /proc as before). */
export function readTimeWait(path = '/proc/net/sockstat'): number | null {
  try {
    return parseTimeWait(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}
