// The BGP speaker: ExaBGP, started by synguard with a generated config whose API process is contrib/exabgp/relay.py.
// The relay joins ExaBGP's text API to a Unix socket here; every command waits for ExaBGP's "done"/"error".
// `sync` makes ExaBGP's announcements equal to the wanted set (a diff, like an enforcer's commit); a new ExaBGP
// (first start, or after it died) starts empty and gets the whole set.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnLong, type Spawned } from '../core/exec.js';
import { exabgpCommand, wireKey, type AnnouncementSpec, type NextHops } from './announcement.js';
import type { UpstreamConfig } from '../config/upstream.js';
import { exabgpConfig, exabgpEnv } from './exabgp-config.js';

export const RELAY_PATH = fileURLToPath(new URL('../../contrib/exabgp/relay.py', import.meta.url));
const START_TIMEOUT_MS = 15_000;
const ACK_TIMEOUT_MS = 10_000;

export type SpeakerState = 'starting' | 'running' | 'failed' | 'stopped';

export interface SpeakerStatus {
  readonly state: SpeakerState;
  readonly error: string | null;
  /** Neighbour → last change ExaBGP reported ("up", "down - …", "connected"). */
  readonly peers: Readonly<Record<string, string>>;
  /** What ExaBGP currently announces, by wire key. */
  readonly announced: readonly string[];
}

interface Pending { readonly command: string; readonly resolve: (ok: boolean) => void; readonly timer: NodeJS.Timeout }

export class ExabgpSpeaker {
  private state: SpeakerState = 'stopped';
  private error: string | null = null;
  private readonly peers: Record<string, string> = {};
  private readonly sent = new Map<string, { spec: AnnouncementSpec; command: string }>();
  private readonly pending: Pending[] = [];
  private server: Server | null = null;
  private conn: Socket | null = null;
  private proc: Spawned | null = null;
  private readonly output: string[] = [];
  private latest: readonly AnnouncementSpec[] | null = null;
  private draining: Promise<void> | null = null;
  private readonly dir: string;

  constructor(
    private readonly cfg: UpstreamConfig,
    stateDir: string,
    private readonly nextHops: NextHops,
    private readonly onLine: (level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown>) => void,
  ) {
    this.dir = join(stateDir, 'exabgp');
  }

  status(): SpeakerStatus {
    return { state: this.state, error: this.error, peers: { ...this.peers }, announced: [...this.sent.keys()] };
  }

  /** Starts ExaBGP and waits for its relay to connect; resolves false (with `status().error`) when it cannot. */
  async start(): Promise<boolean> {
    this.state = 'starting';
    this.error = null;
    const socket = join(this.dir, 'api.sock');
    const conf = join(this.dir, 'exabgp.conf');
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      rmSync(socket, { force: true });
      writeFileSync(conf, exabgpConfig(this.cfg.bgp, { relay: RELAY_PATH, socket }), { mode: 0o600 });
    } catch (err) {
      return this.fail(`cannot prepare ${this.dir}: ${(err as Error).message}`);
    }
    let accept: (c: Socket) => void = () => undefined;
    const connected = new Promise<Socket>((resolve) => { accept = resolve; });
    const server = createServer((c) => accept(c));
    this.server = server;
    const listenError = await new Promise<string | null>((resolve) => {
      server.once('error', (err) => resolve(`cannot listen on ${socket}: ${err.message}`));
      server.listen(socket, () => resolve(null));
    });
    if (listenError !== null) return this.fail(listenError);

    const proc = spawnLong(this.cfg.bgp.exabgp, [conf], { env: { ...process.env, ...exabgpEnv(userInfo().username) } });
    this.proc = proc;
    const spawnError = new Promise<string>((resolve) => proc.child.once('error', (err) => resolve((err as NodeJS.ErrnoException).code === 'ENOENT'
      ? `${this.cfg.bgp.exabgp} is not installed (Debian package exabgp)` : err.message)));
    for (const stream of [proc.child.stdout, proc.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => this.keepOutput(chunk));
    }
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), START_TIMEOUT_MS).unref());
    const first = await Promise.race([connected, spawnError, proc.exited.then((code) => ({ exited: code })), timeout]);
    if (typeof first === 'string') {
      await this.stopProcess();
      return this.fail(first === 'timeout' ? `ExaBGP did not start its API process within ${START_TIMEOUT_MS / 1000} s${this.tail()}` : first);
    }
    if ('exited' in first) return this.fail(`ExaBGP exited with code ${String(first.exited)} at start${this.tail()}`);
    this.attach(first);
    void proc.exited.then((code) => {
      if (this.proc !== proc) return;
      this.proc = null;
      this.detach();
      if (this.state === 'running') this.fail(`ExaBGP exited with code ${String(code)}${this.tail()}`);
    });
    this.state = 'running';
    return true;
  }

  /** Announces what is wanted and not announced, withdraws what is announced and no longer wanted. Never throws. */
  sync(wanted: readonly AnnouncementSpec[]): Promise<void> {
    this.latest = wanted; // syncs never pile up: one runs, and the latest wanted set follows it
    if (!this.draining) this.draining = this.drain().finally(() => { this.draining = null; });
    return this.draining;
  }

  private async drain(): Promise<void> {
    for (let w = this.latest; w !== null; w = this.latest) {
      this.latest = null;
      await this.syncNow(w).catch((err: unknown) => this.onLine('error', 'upstream-sync-failed', { error: (err as Error).message }));
    }
  }

  async stop(): Promise<void> {
    this.state = 'stopped';
    this.detach();
    this.server?.close();
    this.server = null;
    await this.stopProcess();
  }

  private async syncNow(wanted: readonly AnnouncementSpec[]): Promise<void> {
    if (this.state !== 'running') return;
    const want = new Map(wanted.map((a) => [wireKey(a), a]));
    for (const [key, was] of [...this.sent]) {
      if (want.has(key)) continue;
      if (await this.send(exabgpCommand('withdraw', was.spec, this.nextHops), 'withdraw', key)) this.sent.delete(key);
    }
    for (const [key, spec] of want) {
      const command = exabgpCommand('announce', spec, this.nextHops, this.cfg.steps.rtbh.community);
      if (this.sent.get(key)?.command === command) continue;
      if (await this.send(command, 'announce', key)) this.sent.set(key, { spec, command });
    }
  }

  private send(command: string, op: string, key: string): Promise<boolean> {
    const conn = this.conn;
    if (conn === null) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        const i = this.pending.findIndex((p) => p.timer === timer);
        if (i >= 0) this.pending.splice(i, 1);
        resolve(false);
      }, ACK_TIMEOUT_MS);
      this.pending.push({ command, resolve, timer });
      conn.write(`${command}\n`);
    }).then((ok) => {
      this.onLine(ok ? 'info' : 'error', ok ? `upstream-${op}` : `upstream-${op}-failed`, { key, command, ...(ok ? {} : { error: 'ExaBGP answered error or nothing' }) });
      return ok;
    });
  }

  private attach(conn: Socket): void {
    this.conn = conn;
    this.sent.clear(); // a new ExaBGP knows nothing yet
    let buffer = '';
    conn.setEncoding('utf8');
    conn.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        this.onApiLine(buffer.slice(0, nl).trim());
        buffer = buffer.slice(nl + 1);
      }
    });
    conn.on('close', () => {
      if (this.conn === conn) this.detach();
    });
    conn.on('error', () => undefined);
  }

  private onApiLine(line: string): void {
    if (line === 'done' || line === 'error') {
      const p = this.pending.shift();
      if (p) {
        clearTimeout(p.timer);
        p.resolve(line === 'done');
      }
      return;
    }
    const m = /^neighbor (\S+) (.+)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) {
      this.peers[m[1]] = m[2];
      this.onLine(m[2].startsWith('down') ? 'warn' : 'info', 'bgp-neighbor', { peer: m[1], change: m[2] });
    }
  }

  private detach(): void {
    this.conn?.destroy();
    this.conn = null;
    this.sent.clear();
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.resolve(false);
    }
  }

  private async stopProcess(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.child.exitCode !== null) return;
    proc.child.kill('SIGTERM');
    const killer = setTimeout(() => proc.child.kill('SIGKILL'), 5000);
    await proc.exited;
    clearTimeout(killer);
  }

  private fail(message: string): false {
    this.state = 'failed';
    this.error = message;
    this.server?.close();
    this.server = null;
    return false;
  }

  private keepOutput(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      this.output.push(line.trim());
      if (this.output.length > 5) this.output.shift();
    }
  }

  private tail(): string {
    return this.output.length ? `: ${this.output.slice(-3).join(' / ')}` : '';
  }
}
