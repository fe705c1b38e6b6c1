// A small client of a CrowdSec Local API: a machine's JWT (login, renewed before it expires) and a bouncer's key.
// Every failure is a LapiError saying whether the request surely did not arrive (safe to send again) or may have.
import type { Alert, LapiDecision, StreamReply } from './protocol.js';

export type FailureKind = 'unreachable' | 'refused' | 'http' | 'uncertain';

export class LapiError extends Error {
  override readonly name = 'LapiError';
  constructor(readonly kind: FailureKind, message: string, readonly status?: number) {
    super(message);
  }
}

/** Connection errors raised before a request could reach the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface LapiOptions {
  readonly url: string;
  readonly timeoutMs?: number;
  readonly fetch?: Fetch;
  readonly now: () => number;
  /** Aborts requests in progress (the daemon stopping); an aborted publish is settled at the next start. */
  readonly signal?: AbortSignal;
}

/** LAPI 1.4 refuses a login whose User-Agent is not NAME/VERSION ("bad user agent", then 401). */
const USER_AGENT = 'synguard/0.1.0';

/** A token is renewed when it has less than this left. */
const RENEW_MS = 5 * 60_000;

export class LapiClient {
  private token: { jwt: string; expires: number } | null = null;
  private readonly base: string;
  private readonly fetch: Fetch;

  constructor(private readonly opts: LapiOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.fetch = opts.fetch ?? ((url, init) => fetch(url, init));
  }

  private async request(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetch(`${this.base}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'user-agent': USER_AGENT },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs ?? 10_000), ...(this.opts.signal ? [this.opts.signal] : [])]),
      });
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code ?? '';
      const why = code || (err as Error).name;
      throw new LapiError(NOT_SENT.has(code) ? 'unreachable' : 'uncertain', `${method} ${path}: ${why === 'TimeoutError' ? 'no answer in time' : why}`);
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      let message = text.trim().slice(0, 200);
      try {
        message = String((JSON.parse(text) as { message?: string }).message ?? message);
      } catch { /* not JSON */ }
      const kind = res.status === 401 || res.status === 403 ? 'refused' : 'http';
      throw new LapiError(kind, `${method} ${path}: HTTP ${res.status}${message ? ` (${message})` : ''}`, res.status);
    }
    try {
      return text === '' ? null : JSON.parse(text);
    } catch {
      throw new LapiError('http', `${method} ${path}: the answer is not JSON`);
    }
  }

  /** POST /v1/watchers/login; the token is kept until 5 min before it expires. */
  async login(machineId: string, password: string): Promise<void> {
    const t = this.opts.now();
    if (this.token && this.token.expires - t > RENEW_MS) return;
    const reply = (await this.request('POST', '/v1/watchers/login', {}, { machine_id: machineId, password, scenarios: [] })) as { token?: string; expire?: string };
    if (typeof reply?.token !== 'string') throw new LapiError('http', 'POST /v1/watchers/login: no token in the answer');
    const expires = reply.expire ? Date.parse(reply.expire) : Number.NaN;
    this.token = { jwt: reply.token, expires: Number.isFinite(expires) ? expires : t + 3_600_000 };
  }

  /** Forgets the token (after a 401, so the next call logs in again). */
  logout(): void {
    this.token = null;
  }

  private async machine(method: string, path: string, body?: unknown): Promise<unknown> {
    if (!this.token) throw new LapiError('refused', 'not logged in');
    try {
      return await this.request(method, path, { authorization: `Bearer ${this.token.jwt}` }, body);
    } catch (err) {
      if (err instanceof LapiError && err.status === 401) this.logout();
      throw err;
    }
  }

  /** POST /v1/alerts: the LAPI's alert ids, in the order of `alerts`. */
  async postAlerts(alerts: readonly Alert[]): Promise<string[]> {
    const ids = await this.machine('POST', '/v1/alerts', alerts);
    if (!Array.isArray(ids) || ids.length !== alerts.length) throw new LapiError('uncertain', `POST /v1/alerts: expected ${alerts.length} alert ids, got ${JSON.stringify(ids).slice(0, 80)}`);
    return ids.map(String);
  }

  /** GET /v1/alerts with filters (value, scenario, since, …). */
  async findAlerts(query: Record<string, string>): Promise<Alert[]> {
    const found = await this.machine('GET', `/v1/alerts?${new URLSearchParams(query).toString()}`);
    return Array.isArray(found) ? (found as Alert[]) : [];
  }

  /** GET /v1/alerts/ID, with its decisions' ids. */
  async alert(id: string): Promise<Alert> {
    return (await this.machine('GET', `/v1/alerts/${encodeURIComponent(id)}`)) as Alert;
  }

  /** DELETE /v1/decisions/ID (LAPI 1.4: a soft delete; bouncers see it in `deleted`). */
  async deleteDecision(id: number): Promise<void> {
    await this.machine('DELETE', `/v1/decisions/${id}`);
  }

  /** GET /v1/decisions/stream with the bouncer key; `startup` returns every active decision. */
  async stream(apiKey: string, startup: boolean): Promise<StreamReply> {
    const reply = (await this.request('GET', `/v1/decisions/stream${startup ? '?startup=true' : ''}`, { 'x-api-key': apiKey })) as
      { new?: LapiDecision[] | null; deleted?: LapiDecision[] | null } | null;
    return { new: reply?.new ?? [], deleted: reply?.deleted ?? [] };
  }
}
