// Server-Sent Events: a capped set of open streams, a first message per stream, broadcasts, a heartbeat, and cleanup
// when a client goes away or stops reading.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface StreamOptions {
  /** Streams open at once; one more is refused (503). */
  readonly maxStreams?: number;
  /** A comment line this often keeps proxies and the browser from timing out an idle stream. */
  readonly heartbeatMs?: number;
  /** A client that has not read this much of what we wrote is dropped (it would only grow our memory). */
  readonly maxBufferedBytes?: number;
  /** How long the browser waits before reconnecting after a drop. */
  readonly retryMs?: number;
}

export const STREAM_DEFAULTS = { maxStreams: 16, heartbeatMs: 15_000, maxBufferedBytes: 1 << 20, retryMs: 3000 } as const;

/** One SSE message: `event:` and one `data:` line of JSON (JSON.stringify never writes a raw newline). */
export function sseMessage(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // A reverse proxy in front must not buffer the stream.
  'x-accel-buffering': 'no',
};

export class StreamHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly o: Required<StreamOptions>;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(options: StreamOptions = {}, private readonly log?: (line: string) => void) {
    this.o = { ...STREAM_DEFAULTS, ...options };
  }

  get size(): number {
    return this.clients.size;
  }

  get full(): boolean {
    return this.clients.size >= this.o.maxStreams;
  }

  /** Takes over the response: headers, `retry:`, the first message, then broadcasts until the client leaves. */
  open(req: IncomingMessage, res: ServerResponse, first: () => string): void {
    res.writeHead(200, SSE_HEADERS);
    res.write(`retry: ${this.o.retryMs}\n\n`);
    this.clients.add(res);
    const drop = () => this.drop(res);
    req.once('close', drop);
    res.once('close', drop);
    res.once('error', drop);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.writeAll(': heartbeat\n\n'), this.o.heartbeatMs);
      this.heartbeat.unref();
    }
    try {
      this.write(res, first());
    } catch (err) {
      this.log?.(`http: stream: cannot build the first message: ${(err as Error).message}`);
      res.end();
    }
  }

  /** Sends one event to every open stream. */
  broadcast(event: string, data: unknown): void {
    if (this.clients.size > 0) this.writeAll(sseMessage(event, data));
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopHeartbeat();
  }

  private writeAll(text: string): void {
    for (const res of this.clients) this.write(res, text);
  }

  private write(res: ServerResponse, text: string): void {
    if (res.writableLength > this.o.maxBufferedBytes) {
      this.log?.('http: stream: a client stopped reading; dropped');
      res.destroy();
      this.drop(res);
      return;
    }
    res.write(text);
  }

  private drop(res: ServerResponse): void {
    if (!this.clients.delete(res)) return;
    if (this.clients.size === 0) this.stopHeartbeat();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
