// The live feed behind the dashboard: every tick adds a point to the 15-minute ring (cheap, always); while at least
// one page is open, a frame (status report, top talkers) is built about once a second and streamed to it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DaemonEvent } from '../../bus/events.js';
import type { HttpDeps } from '../deps.js';
import { buildFrame, type AttackInfo, type Frame, type TickInfo } from './frame.js';
import { pointFrom, SeriesRing, type RingOptions } from './series.js';
import { sseMessage, StreamHub, type StreamOptions } from './stream.js';

export interface LiveOptions extends StreamOptions, RingOptions {
  /** Frames closer together than this are skipped (a 0.1 s loop still streams ~1 Hz). */
  readonly minFrameGapMs?: number;
  /** More fields for the `history` message (which optional endpoints exist). */
  readonly hello?: () => Record<string, unknown>;
}

export interface Live {
  /** Serves one SSE stream: `history` first (the buffered series and the current frame), then `tick` and `change`. */
  open(req: IncomingMessage, res: ServerResponse): void;
  readonly full: boolean;
  readonly streams: number;
  readonly ring: SeriesRing;
  /** Unsubscribes from the daemon's events and ends the open streams. */
  close(): void;
}

/** What a `change` event tells the page: something it lists (bans, history, reports) changed; refetch. */
function changeOf(e: DaemonEvent): Record<string, unknown> | null {
  switch (e.type) {
    case 'bans': return { type: e.type, at: e.at, count: e.decisions.length };
    case 'attack-start': return { type: e.type, at: e.at, kind: e.kind };
    case 'attack-end': return { type: e.type, at: e.at, kind: e.kind };
    case 'hardening': return { type: e.type, at: e.at, mode: e.mode };
    default: return null;
  }
}

/** How many banned values the MITIGATED header names. */
const BANNED_SHOWN = 3;

export function createLive(deps: HttpDeps, options: LiveOptions = {}): Live {
  const ring = new SeriesRing(options);
  const hub = new StreamHub(options, (line) => deps.log?.(line));
  const minFrameGapMs = options.minFrameGapMs ?? 900;
  let tick: TickInfo | null = null;
  let attack: AttackInfo | null = null;
  let lastFrameAt = -Infinity;
  let pending = false;

  const frame = (): Frame => buildFrame(tick, deps.status(), attack, deps.now(), deps.store.health?.() ?? null);

  // Runs outside the tick (setImmediate): the report walks every source, and it is built only for open pages.
  const publish = () => {
    pending = false;
    if (hub.size === 0) return;
    try {
      hub.broadcast('tick', frame());
    } catch (err) {
      deps.log?.(`http: stream: cannot build a frame: ${(err as Error).message}`);
    }
  };

  const onEvent = (e: DaemonEvent) => {
    if (e.type === 'tick') {
      const point = pointFrom(e.prev, e.cur, e.underAttack);
      ring.push(point);
      if (!e.underAttack) attack = null;
      else attack ??= { since: e.at, kind: e.assessment.kind, banned: [], bannedCount: 0 };
      tick = { at: e.at, assessment: e.assessment, underAttack: e.underAttack, point, synSenders: e.synSenders };
      if (hub.size > 0 && !pending && e.at - lastFrameAt >= minFrameGapMs) {
        pending = true;
        lastFrameAt = e.at;
        setImmediate(publish);
      }
      return;
    }
    if (e.type === 'attack-start') attack = { since: e.at, kind: e.kind, banned: [], bannedCount: 0 };
    if (e.type === 'bans' && attack) {
      const values = e.decisions.map((d) => d.value);
      attack = { ...attack, banned: [...attack.banned, ...values].slice(0, BANNED_SHOWN), bannedCount: attack.bannedCount + values.length };
    }
    const change = changeOf(e);
    if (change) hub.broadcast('change', change);
  };
  const off = deps.events?.on(onEvent);

  return {
    open: (req, res) => hub.open(req, res, () => sseMessage('history', {
      ...options.hello?.(),
      windowMs: ring.windowMs,
      series: ring.columns(),
      frame: frame(),
    })),
    get full() { return hub.full; },
    get streams() { return hub.size; },
    ring,
    close: () => {
      off?.();
      hub.close();
    },
  };
}
