// The fleet worker inside `synguard run`: a push loop (every second, and at once on new bans) and a pull loop (every
// `crowdsec.pull.every`), on a store connection of their own. LAPI trouble is one log line per new error, and one
// when it clears; the host's own defence never waits for the LAPI.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CrowdsecConfig } from '../config/crowdsec.js';
import { SynguardError } from '../core/errors.js';
import type { Log } from '../core/log.js';
import { openFleetDb, type FleetDb } from '../store/fleet-db.js';
import { LapiClient, LapiError } from './lapi-client.js';
import { applyStream, type PullPolicy } from './pull.js';
import { Pusher } from './push.js';

export interface FleetDeps {
  readonly stateDir: string;
  readonly log: Log;
  readonly now: () => number;
  /** The allow-list's verdict on a CIDR (null: may be banned). */
  readonly refuse: (value: string) => string | null;
  /** Called after pulled decisions changed the store, so the defender applies them now. */
  readonly onChange: () => void;
}

export interface FleetWorker {
  /** Sends soon (a ban was just made). */
  poke(): void;
  stop(): Promise<void>;
}

export interface PullStatus { readonly at: number; readonly ok: boolean; readonly error: string | null; readonly held: number; readonly lastOkAt: number | null }
export interface PushStatus { readonly at: number; readonly error: string | null; readonly waiting: number; readonly lastOkAt: number | null }

/** An inline secret, or the first line of its file (read now: a bad path is a config error at start). */
function secret(inline: string | undefined, file: string | undefined, key: string): string {
  if (inline !== undefined) return inline;
  try {
    const text = readFileSync(file ?? '', 'utf8').split('\n')[0]?.trim() ?? '';
    if (text === '') throw new Error('empty');
    return text;
  } catch (err) {
    throw new SynguardError('config', `crowdsec.${key}: cannot read a secret from ${file ?? ''} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** This synguard's name in its alerts: host name and a random id kept in the store. */
function instanceRef(db: FleetDb): string {
  let id = db.getState<string>('instance');
  if (id === undefined) {
    id = randomBytes(4).toString('hex');
    db.setState('instance', id);
  }
  return `${hostname()}/${id}`;
}

/** One line when an error appears or changes, one when it clears. */
function errorReporter(log: Log, what: string) {
  let last: string | null = null;
  return (error: string | null, detail: Record<string, unknown> = {}) => {
    if (error !== null && error !== last) log('error', `crowdsec-${what}-failed`, { error, ...detail, effect: 'the host\'s own defence carries on; retried with back-off' });
    if (error === null && last !== null) log('info', `crowdsec-${what}-recovered`, detail);
    last = error;
  };
}

export function startFleet(config: CrowdsecConfig, deps: FleetDeps): FleetWorker {
  const push = config.push;
  const pull = config.pull;
  const password = push ? secret(push.password, push.passwordFile, 'push.passwordFile') : '';
  const apiKey = pull ? secret(pull.apiKey, pull.apiKeyFile, 'pull.apiKeyFile') : '';
  const db = openFleetDb(deps.stateDir);
  const stopper = new AbortController();
  const client = new LapiClient({ url: config.url, now: deps.now, signal: stopper.signal });
  let poke = new AbortController();
  const wait = (ms: number, signal?: AbortSignal) => sleep(ms, undefined, { signal: signal ? AbortSignal.any([stopper.signal, signal]) : stopper.signal }).catch(() => undefined);
  const loops: Promise<void>[] = [];

  if (push) {
    const pusher = new Pusher({ db, client, login: push.login, password, batch: push.batch, ref: instanceRef(db), now: deps.now });
    const report = errorReporter(deps.log, 'push');
    loops.push((async () => {
      let lastOkAt: number | null = null;
      while (!stopper.signal.aborted) {
        const r = await pusher.step().catch((err: unknown) => ({ published: 0, withdrawn: 0, waiting: 0, error: `internal: ${(err as Error).message}` }));
        if (r.error === null) lastOkAt = deps.now();
        report(r.error, { waiting: r.waiting });
        db.setState('push.status', { at: deps.now(), error: r.error, waiting: r.waiting, lastOkAt } satisfies PushStatus);
        if (r.published + r.withdrawn > 0) deps.log('info', 'crowdsec-pushed', { published: r.published, withdrawn: r.withdrawn, waiting: r.waiting });
        await wait(1000, poke.signal);
        poke = new AbortController();
      }
    })());
  }

  if (pull) {
    const policy: PullPolicy = { refuse: deps.refuse, max: pull.max };
    const report = errorReporter(deps.log, 'pull');
    loops.push((async () => {
      let startup = true;
      let lastOkAt: number | null = null;
      while (!stopper.signal.aborted) {
        let error: string | null = null;
        try {
          const reply = await client.stream(apiKey, startup);
          const out = applyStream(db, reply, startup, policy, deps.now());
          startup = false;
          lastOkAt = deps.now();
          if (out.added + out.ended + out.extended > 0) {
            deps.log('info', 'crowdsec-pulled', { ...out });
            deps.onChange();
          } else if (Object.keys(out.refused).length > 0) deps.log('warn', 'crowdsec-pull-refused', { refused: out.refused });
        } catch (err) {
          error = !(err instanceof LapiError) ? `internal: ${(err as Error).message}`
            : err.kind === 'refused' ? `the LAPI refused the bouncer key (crowdsec.pull.apiKey): ${err.message}` : err.message;
        }
        report(error);
        db.setState('pull.status', { at: deps.now(), ok: error === null, error, held: db.pulled.live(deps.now()).length, lastOkAt } satisfies PullStatus);
        await wait(pull.every);
      }
    })());
  }

  return {
    poke: () => poke.abort(),
    async stop() {
      stopper.abort();
      await Promise.allSettled(loops);
      db.close();
    },
  };
}
