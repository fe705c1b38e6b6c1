// The CLI's client for a running daemon's HTTP API (fetch): found from the pid file, the config's http section and
// the token file in the state directory. Null means "no daemon API here": the caller uses the store instead.
import type { Origin } from '../core/decision.js';
import type { Config } from '../config/schema.js';
import { parseListen } from '../config/listen.js';
import { SynguardError } from '../core/errors.js';
import { runningDaemon } from '../store/pidfile.js';
import { existingToken, tokenPath } from '../http/token.js';
import { daemonReach } from './daemon-listener.js';

/** A ban as the API returns it (docs/http.md). */
export interface ApiBan {
  readonly id: number;
  readonly value: string;
  readonly scope: 'ip' | 'prefix';
  readonly reason: string;
  readonly origin: Origin;
  readonly createdAt: string;
  readonly until: string;
  readonly offence: number;
  readonly dryRun?: boolean;
  readonly evidence: string[];
}

/** An error answer from the API: its status and its one-line `{error}` text. */
export class ApiError extends SynguardError {
  constructor(readonly status: number, message: string) {
    super(status === 400 || status === 404 ? 'input' : status === 401 || status === 403 ? 'permission' : 'exec', message);
  }
}

export interface DaemonApi {
  readonly pid: number;
  /** Where it answers, "http://127.0.0.1:9717". */
  readonly base: string;
  /** Every active ban, page after page, in the store's order. */
  bans(): Promise<ApiBan[]>;
  ban(body: { value: string; for?: string; reason?: string }): Promise<ApiBan>;
  unban(value: string): Promise<{ unbanned: string; ended: ApiBan[] }>;
}

const TIMEOUT_MS = 10_000;
const PAGE = 1000;

/** The address to connect to for a listen address: a wildcard means this host's loopback. */
function connectUrl(listen: string): { url: string; port: number } | null {
  const at = parseListen(listen);
  if (!at) return null;
  const host = at.host === '0.0.0.0' ? '127.0.0.1' : at.host === '::' ? '::1' : at.host;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${at.port}`, port: at.port };
}

function describeFailure(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
}

/**
 * The running daemon's API for this state directory, or null: no daemon (silently), or a daemon whose API is off or
 * out of reach (with a note through `note`, so the caller's fallback to the store is never a surprise).
 */
export async function connectDaemon(stateDir: string, config: Config, note: (line: string) => void): Promise<DaemonApi | null> {
  const pid = runningDaemon(stateDir);
  if (pid === null) return null;
  const fallBack = (why: string): null => {
    note(`the daemon (pid ${pid}) runs but its API cannot be used (${why}): using the store; the daemon picks the change up within one tick`);
    return null;
  };
  if (!config.http.enabled) return fallBack('http.enabled is false');
  const at = connectUrl(config.http.listen);
  if (!at) return fallBack(`http.listen "${config.http.listen}" is not HOST:PORT`);
  const reach = daemonReach(pid, at.port);
  if (!reach.ok) return fallBack(reach.why);
  const token = existingToken(stateDir);
  if (token === null) return fallBack(`no token in ${tokenPath(stateDir)}`);

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${at.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      throw new SynguardError('exec', `the daemon's API at ${at.url} did not answer ${method} ${path}: ${describeFailure(err)}`, { cause: err });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError(res.status, `the daemon's API answered ${res.status} with something other than JSON: ${text.slice(0, 120)}`);
    }
    if (res.ok) return parsed as T;
    const error = (parsed as { error?: unknown }).error;
    const message = typeof error === 'string' ? error : `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403) {
      throw new ApiError(res.status, `the daemon refused the token in ${tokenPath(stateDir)} (${res.status}: ${message}): synguard token prints the current one; if it was just rotated, retry in a second`);
    }
    throw new ApiError(res.status, res.status >= 500 ? `the daemon's API failed (${res.status}): ${message}` : message);
  };

  try {
    await call('GET', '/health');
  } catch (err) {
    return fallBack(err instanceof SynguardError ? err.message : String(err));
  }
  return {
    pid,
    base: at.url,
    bans: async () => {
      const all: ApiBan[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await call<{ total: number; bans: ApiBan[] }>('GET', `/bans?offset=${offset}&limit=${PAGE}`);
        all.push(...page.bans);
        if (page.bans.length < PAGE || offset + PAGE >= page.total) return all;
      }
    },
    ban: (body) => call<ApiBan>('POST', '/bans', body),
    unban: (value) => call('DELETE', `/bans/${encodeURIComponent(value)}`),
  };
}
