// Child program run in the client namespace: N HTTP requests per second, each on a fresh connection; one JSON line per attempt.
// Usage: node probe-client.js '{"target","port","rate","durationMs","timeoutMs","sources":[...],"startAt"}'
import { connect } from 'node:net';

interface ProbeConfig {
  target: string;
  port: number;
  rate: number;
  durationMs: number;
  timeoutMs: number;
  sources: string[];
  startAt: number;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as ProbeConfig;
let pending = 0;
let scheduled = false;

function emit(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

function attempt(source: string | undefined): void {
  const t = Date.now();
  const t0 = performance.now();
  let connectMs: number | null = null;
  let body = '';
  let settled = false;
  pending++;
  const sock = connect({ host: cfg.target, port: cfg.port, ...(source ? { localAddress: source } : {}) });
  const finish = (error: string | null): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    sock.destroy();
    emit({ t, src: source ?? null, ok: error === null, connectMs, totalMs: error === null ? performance.now() - t0 : null, error });
    pending--;
    if (scheduled && pending === 0) emit({ done: true });
  };
  const timer = setTimeout(() => finish(connectMs === null ? 'connect-timeout' : 'response-timeout'), cfg.timeoutMs);
  sock.setNoDelay(true);
  sock.on('connect', () => {
    connectMs = performance.now() - t0;
    sock.write(`GET / HTTP/1.1\r\nHost: ${cfg.target}\r\nConnection: close\r\n\r\n`);
  });
  sock.on('data', (d: Buffer) => (body += d.toString()));
  sock.on('end', () => finish(/^HTTP\/1\.[01] 200/.test(body) ? null : body ? 'bad-status' : 'empty-response'));
  sock.on('error', (err: NodeJS.ErrnoException) => finish(connectMs === null ? (err.code ?? 'connect-error') : `${err.code ?? 'error'}-after-connect`));
}

const total = Math.max(0, Math.floor((cfg.durationMs * cfg.rate) / 1000));
let i = 0;
function tick(): void {
  const now = Date.now();
  while (i < total && cfg.startAt + (i * 1000) / cfg.rate <= now) {
    attempt(cfg.sources.length ? cfg.sources[i % cfg.sources.length] : undefined);
    i++;
  }
  if (i < total) {
    setTimeout(tick, Math.max(1, Math.min(20, cfg.startAt + (i * 1000) / cfg.rate - now)));
  } else {
    scheduled = true;
    if (pending === 0) emit({ done: true });
  }
}
setTimeout(tick, Math.max(0, cfg.startAt - Date.now()));
