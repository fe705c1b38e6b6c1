// The configuration schema: every key, its type, its default, and why. Unknown keys are rejected.
import { z } from 'zod';
import { defenderSchema } from './defender.js';
import { LISTEN_EXAMPLE, parseListen } from './listen.js';
import { notifySchema } from '../notify/config.js';
import { upstreamSchema } from '../upstream/config.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const ratio = z.number().min(0).max(1);

export const assessmentSchema = z.strictObject({
  synFlood: z.strictObject({
    /** Half-open (SYN_RECV) entries in the whole table that count as SYN pressure. */
    minHalfOpen: int(1, 10_000_000).default(256),
    /** SyncookiesSent per second that counts as SYN pressure (the table is a capped sample once cookies flow). */
    minCookieRate: z.number().min(0).default(200),
    /** TCPReqQFullDrop per second that counts as SYN pressure (cookies off, SYNs dropped). */
    minDropRate: z.number().min(0).default(50),
    /** A source holding at least this many half-open entries is an offender. */
    perSourceHalfOpen: int(1, 1_000_000).default(32),
    /** Offenders together must hold this share of all half-open entries for "a flood from few sources". */
    concentratedShare: ratio.default(0.5),
    /** More offenders than this is no longer "few sources". */
    maxOffenders: int(1, 100_000).default(32),
  }).prefault({}),
  spoofed: z.strictObject({
    /** At least this many distinct half-open sources, none of them an offender, reads as spoofed. */
    minSources: int(1, 10_000_000).default(64),
    /** SyncookiesRecv / SyncookiesSent below this means handshakes are not being completed. */
    maxCookieReturn: ratio.default(0.05),
  }).prefault({}),
  connectionFlood: z.strictObject({
    /** A source holding at least this many ESTABLISHED connections is an offender. */
    perSourceEstablished: int(1, 10_000_000).default(50),
    /** More offenders than this is no longer "few sources". */
    maxOffenders: int(1, 100_000).default(32),
  }).prefault({}),
  weakConfig: z.strictObject({
    /** A listener whose backlog (min(listen backlog, somaxconn)) is below this is noted as weak. */
    minListenerBacklog: int(1, 10_000_000).default(128),
    /** tcp_synack_retries above this keeps each half-open entry alive too long (5 ≈ 63 s, 2 ≈ 7 s). */
    maxSynackRetries: int(0, 255).default(5),
  }).prefault({}),
});

export const configSchema = z.strictObject({
  /** Prefix lengths used to group sources: /24 for IPv4 and /64 for IPv6 by default. */
  prefixes: z.strictObject({
    ipv4: int(8, 32).default(24),
    ipv6: int(16, 128).default(64),
  }).prefault({}),
  assessment: assessmentSchema.prefault({}),
  /** `synguard run`: detection thresholds, ban policy, allow-list, hardening (docs/config.md). */
  defender: defenderSchema.prefault({}),
  /** The daemon's HTTP API and /metrics (docs/http.md). */
  http: z.strictObject({
    enabled: z.boolean().default(true),
    /** HOST:PORT; outside loopback the API is reachable from the network (a warning is logged). */
    listen: z.string().refine((v) => parseListen(v) !== null, { message: `expected HOST:PORT with an IP address (${LISTEN_EXAMPLE})` })
      .default('127.0.0.1:9717'),
  }).prefault({}),
  /** Webhooks and command hooks on attacks, ban bursts and hardening (docs/notify.md). */
  notify: notifySchema,
  /** Escalation to the provider over BGP when the uplink is saturated (docs/upstream.md). Disabled by default. */
  upstream: upstreamSchema.prefault({}),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
export type AssessmentConfig = Config['assessment'];
export type DefenderConfig = Config['defender'];
export type BansConfig = DefenderConfig['bans'];
export type HttpConfig = Config['http'];
export type NotifyConfig = Config['notify'];
export type { UpstreamConfig } from '../upstream/config.js';
