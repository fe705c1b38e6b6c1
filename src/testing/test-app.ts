// For tests: an API on 127.0.0.1 port 0 over a real store in a temp dir, with a captured status report and a fixed clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFrom } from '../config/load.js';
import { eventBus, type EventBus } from '../bus/events.js';
import { buildAllowList } from '../decide/index.js';
import { buildReport, type StatusReport } from '../detect/report.js';
import { openStore, type Store } from '../store/index.js';
import { fixtureSnapshots, T0 } from './samples.js';
import type { HttpDeps } from '../http/deps.js';
import { startHttp, type HttpServer } from '../http/server.js';
import type { UpstreamStatus } from '../upstream/controller.js';

export const TEST_TOKEN = 'test-token-0123456789';

export interface TestApi {
  /** The server's clock (T0 unless `clock` was given): a test reads time only from here. */
  readonly now: () => number;
  readonly base: string;
  readonly store: Store;
  readonly server: HttpServer;
  readonly changes: { count: number };
  /** The daemon's event bus as the API sees it: emit a `tick` to feed the dashboard and the meter's metrics. */
  readonly events: EventBus;
  /** fetch() relative to the server, with the token unless `token: null`. */
  call(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** The report `synguard status --json` prints for a fixture capture: its two samples, the default config, top 10. */
export function captureReport(capture: string): StatusReport {
  const [prev, cur] = fixtureSnapshots(capture);
  return buildReport(prev, cur, configFrom({}).detection, 10);
}

export async function startTestApi(options: { capture?: string; status?: StatusReport | null; clock?: () => number; upstream?: () => UpstreamStatus | null } = {}): Promise<TestApi> {
  const now = options.clock ?? (() => T0);
  const dir = mkdtempSync(join(tmpdir(), 'synguard-http-'));
  const store = openStore(dir);
  const config = configFrom({});
  const report = options.status === undefined ? captureReport(options.capture ?? 'spoofed-v4-cookies') : options.status;
  const changes = { count: 0 };
  const events = eventBus((err) => { throw err; });
  const deps: HttpDeps = {
    status: () => report,
    store,
    events,
    allow: () => buildAllowList({ own: ['192.0.2.1'], configured: ['198.51.100.0/28'] }),
    config,
    token: TEST_TOKEN,
    now,
    onChange: () => { changes.count += 1; },
    ...(options.upstream ? { upstream: options.upstream } : {}),
  };
  const server = await startHttp(deps, '127.0.0.1:0');
  const base = `http://${server.address}`;
  return {
    base, store, server, changes, events,
    call: (path, init = {}) => {
      const { token = TEST_TOKEN, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${base}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    close: async () => {
      await server.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
    now,
  };
}
