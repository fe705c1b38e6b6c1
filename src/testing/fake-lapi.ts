// Test support: an in-process stand-in for a LAPI 1.4.6 behind LapiClient's `fetch`, answering in the shapes
// captured from the real one (test/fixtures/crowdsec-lapi-1.4.6). It counts what it was sent, and can be down.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Fetch } from '../fleet/lapi-client.js';
import type { Alert } from '../fleet/protocol.js';

const DIR = fileURLToPath(new URL('../../test/fixtures/crowdsec-lapi-1.4.6/', import.meta.url));
export const lapiFixture = <T>(file: string): T => JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')) as T;

export interface FakeLapi {
  readonly fetch: Fetch;
  /** Alerts received, with the ids given. */
  readonly alerts: Array<Alert & { id: number }>;
  readonly deleted: number[];
  readonly requests: string[];
  /** 'up', 'down' (connection refused) or 'lost' (the request arrives, its answer never does). */
  mode: 'up' | 'down' | 'lost';
  password: string;
}

const reply = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function fakeLapi(): FakeLapi {
  const lapi: FakeLapi = {
    alerts: [], deleted: [], requests: [], mode: 'up', password: 'secret',
    fetch: (url, init) => {
      const method = init.method ?? 'GET';
      const u = new URL(url);
      lapi.requests.push(`${method} ${u.pathname}`);
      if (lapi.mode === 'down') return Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
      const body = typeof init.body === 'string' ? JSON.parse(init.body) as unknown : undefined;
      const answer = (): Response => {
        if (method === 'POST' && u.pathname === '/v1/watchers/login') {
          const { password } = body as { password: string };
          return password === lapi.password ? reply(200, lapiFixture('login.json')) : reply(401, lapiFixture('login-refused.json'));
        }
        if (method === 'POST' && u.pathname === '/v1/alerts') {
          const ids = (body as Alert[]).map((a) => {
            const id = lapi.alerts.length + 1;
            lapi.alerts.push({ ...a, id, decisions: (a.decisions ?? []).map((d) => ({ ...d, id: 100 + id })) });
            return String(id);
          });
          return reply(201, ids);
        }
        const one = /^\/v1\/alerts\/(\d+)$/.exec(u.pathname);
        if (method === 'GET' && one) {
          const a = lapi.alerts.find((x) => x.id === Number(one[1]));
          return a ? reply(200, a) : reply(404, { message: 'object not found' });
        }
        if (method === 'GET' && u.pathname === '/v1/alerts') {
          return reply(200, lapi.alerts.filter((a) => a.source.value === u.searchParams.get('value')));
        }
        const del = /^\/v1\/decisions\/(\d+)$/.exec(u.pathname);
        if (method === 'DELETE' && del) {
          lapi.deleted.push(Number(del[1]));
          return reply(200, { nbDeleted: '1' });
        }
        return reply(404, { message: 'not found' });
      };
      const res = answer();
      if (lapi.mode === 'lost') return Promise.reject(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }));
      return Promise.resolve(res);
    },
  };
  return lapi;
}
