// Child program run inside the victim namespace: a tiny HTTP server on IPv4 and IPv6 with a settable listen backlog.
// Usage: node victim-server.js PORT BACKLOG [MAX_CONNECTIONS]   (prints "listening" once both sockets listen)
import { createServer, type Server } from 'node:http';

const [portText = '', backlogText = '', maxText = '0'] = process.argv.slice(2);
const port = Number(portText);
const backlog = Number(backlogText);
const maxConnections = Number(maxText);

function serve(host: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end('ok\n');
  });
  if (maxConnections > 0) server.maxConnections = maxConnections;
  server.headersTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog, ipv6Only: host === '::' }, () => resolve(server));
  });
}

const servers = await Promise.all([serve('0.0.0.0'), serve('::')]);
process.stdout.write('listening\n');
const stop = (): void => {
  for (const s of servers) {
    s.closeAllConnections();
    s.close();
  }
  process.exitCode = 0;
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
