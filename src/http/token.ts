// The API's bearer token: 32 random bytes made at first start, kept in <stateDir>/api-token (mode 0600). The daemon
// reads it at start and again on SIGHUP (`synguard token --rotate` sends one).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SynguardError } from '../core/errors.js';

export const TOKEN_FILE = 'api-token';
const SHAPE = /^[A-Za-z0-9_-]{43}$/; // 32 bytes in base64url, no padding

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

function readToken(path: string): string {
  let token: string;
  try {
    token = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new SynguardError('permission', `cannot read ${path} (${errno(err) ?? (err as Error).message}): run as root`, { cause: err });
  }
  if (!SHAPE.test(token)) {
    throw new SynguardError('config', `${path} does not hold a synguard token (43 base64url characters): delete it to get a new one`);
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600); // someone loosened it: only root reads it
  return token;
}

/** The token in stateDir, created on first call; the same token on every later call. */
export function loadToken(stateDir: string): string {
  const path = join(stateDir, TOKEN_FILE);
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const token = randomBytes(32).toString('base64url');
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' }); // wx: never overwrite one made meanwhile
    return token;
  } catch (err) {
    if (errno(err) === 'EEXIST') return readToken(path);
    throw new SynguardError('permission', `cannot create ${path} (${errno(err) ?? (err as Error).message}): run as root or choose another --state-dir`, { cause: err });
  }
}

/** The token file's path in a state directory. */
export const tokenPath = (stateDir: string): string => join(stateDir, TOKEN_FILE);

/** The token in stateDir, or null when none was made yet; never creates one. */
export function existingToken(stateDir: string): string | null {
  const path = tokenPath(stateDir);
  try {
    statSync(path);
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    throw new SynguardError('permission', `cannot read ${path} (${errno(err) ?? (err as Error).message}): run as root`, { cause: err });
  }
  return readToken(path);
}

/** Replaces the token with a new one (written beside it with mode 0600, then renamed over it) and returns it. */
export function rotateToken(stateDir: string): string {
  const path = tokenPath(stateDir);
  const next = `${path}.new`;
  const token = randomBytes(32).toString('base64url');
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    rmSync(next, { force: true });
    writeFileSync(next, `${token}\n`, { mode: 0o600, flag: 'wx' });
    renameSync(next, path);
  } catch (err) {
    throw new SynguardError('permission', `cannot write ${path} (${errno(err) ?? (err as Error).message}): run as root or choose another --state-dir`, { cause: err });
  }
  return token;
}
