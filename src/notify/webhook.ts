// Delivery by HTTP: one JSON POST per message with Node's built-in fetch, a timeout per attempt, no redirects.
import type { Deliver, Delivery } from './sink.js';
import type { WebhookConfig } from '../config/notify.js';

const RETRY_STATUS = new Set([408, 425, 429]);

/** Where a URL points, without its query (which may hold a secret) for the log. */
export function urlForLog(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

export function webhookDeliver(w: WebhookConfig, fetchFn: typeof fetch = fetch): Deliver {
  return async (message, signal): Promise<Delivery> => {
    let res: Response;
    try {
      res = await fetchFn(w.url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/json', 'user-agent': 'synguard', ...w.headers },
        body: JSON.stringify(message),
        signal: AbortSignal.any([signal, AbortSignal.timeout(w.timeout)]),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${w.timeout} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
      return { ok: false, retry: true, detail: why };
    }
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, retry: false, detail: `HTTP ${res.status}` };
    const retry = res.status >= 500 || RETRY_STATUS.has(res.status);
    return { ok: false, retry, detail: `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}` };
  };
}
