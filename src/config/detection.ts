// The `detection` section: one sub-section per signal, shared by `synguard status` (the verdict) and `synguard run`
// (the tracker's offenders and the kernel meter). Every default protects a typical web server (docs/config.md).
import { z } from 'zod';
import { clearBelowBan, hysteresis, thresholdPair } from './hysteresis.js';
import { synRateSchema } from './syn-rate.js';
import { duration } from './duration.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const ratio = z.number().min(0).max(1);
/** A TCP port as a map key: YAML reads `8080: 150` with the key as text. */
const portKey = z.string().regex(/^[1-9][0-9]{0,4}$/, 'expected a TCP port (1-65535)').refine((k) => Number(k) <= 65_535, 'expected a TCP port (1-65535)');

export const detectionSchema = z.strictObject({
  /** SYN pressure on the whole host, and what "a SYN flood from few sources" means. */
  synFlood: z.strictObject({
    /** Half-open (SYN_RECV) entries in the whole table that count as SYN pressure. */
    minHalfOpen: int(1, 10_000_000).default(256),
    /** SyncookiesSent per second that counts as SYN pressure (the table is a capped sample once cookies flow). */
    minCookieRate: z.number().min(0).default(200),
    /** TCPReqQFullDrop per second that counts as SYN pressure (cookies off, SYNs dropped). */
    minDropRate: z.number().min(0).default(50),
    /** Offenders together must hold this share of all half-open entries for "a flood from few sources". */
    concentratedShare: ratio.default(0.5),
    /** More half-open offenders than this is no longer "few sources": the guard bans none of them. */
    maxOffenders: int(1, 100_000).default(32),
  }).prefault({}),
  /**
   * Half-open entries held by one source: an offender at `ban` (the verdict's threshold too), cleared below `clear`.
   * With cookies on, a listener's SYN_RECV plateaus at its backlog, so a flooding source holds far more than 32
   * within a tick, while a real client holds 0–6.
   */
  halfOpen: hysteresis(32, 16),
  /** Half-open entries held by one /24 or /64 (config `prefixes`) together, for sources each below threshold. */
  prefixHalfOpen: hysteresis(128, 64),
  /** ESTABLISHED connections held by one source (a connection flood; cookies do not help). */
  established: z.strictObject({
    ...thresholdPair(50, 25),
    /** More established offenders than this is no longer "few sources": the guard bans none of them. */
    maxOffenders: int(1, 100_000).default(32),
  }).superRefine(clearBelowBan).prefault({}),
  /** ESTABLISHED connections held by one /24 or /64 together. */
  prefixEstablished: hysteresis(1000, 500),
  /** A flood spread over many sources, none an offender: most likely forged, never mass-banned. */
  spoofed: z.strictObject({
    /** At least this many distinct half-open sources, none of them an offender, reads as spoofed. */
    minSources: int(1, 10_000_000).default(64),
    /** SyncookiesRecv / SyncookiesSent below this means handshakes are not being completed. */
    maxCookieReturn: ratio.default(0.05),
  }).prefault({}),
  /** Settings that `status` calls weak. */
  weakConfig: z.strictObject({
    /** A listener whose backlog (min(listen backlog, somaxconn)) is below this is noted as weak. */
    minListenerBacklog: int(1, 10_000_000).default(128),
    /** tcp_synack_retries above this keeps each half-open entry alive too long (5 ≈ 63 s, 2 ≈ 7 s). */
    maxSynackRetries: int(0, 255).default(5),
  }).prefault({}),
  /** The kernel's SYN-rate meter (docs/enforce.md). */
  synRate: synRateSchema,
  /**
   * Who holds a full server's slots (src/detect/capacity.ts, docs/lab.md): once a listener's accept queue stays
   * non-empty, a prefix holding `share` of its slots (at least `minHeld`) with at least `minConnections` open (held or
   * queued) is an offender, named by its addresses that
   * hold at least `minPerAddress` each (slowloris spread over a /24 stays under every per-source threshold).
   * A server that closes what it cannot serve instead of queuing it (Node's `server.maxConnections`, a fixed pool
   * that rejects) never fills its accept queue: `slots` declares such a server's capacity by its port, and the
   * listener counts as full while that many connections on the port are held.
   */
  capacity: z.strictObject({
    enabled: z.boolean().default(true),
    minAcceptQueue: int(1, 10_000_000).default(1),
    fullFor: duration(1000, 600_000).prefault('1s'),
    share: ratio.default(0.5),
    minHeld: int(1, 10_000_000).default(10),
    minConnections: int(1, 10_000_000).default(50),
    minPerAddress: int(1, 10_000_000).default(2),
    maxOffenders: int(1, 100_000).default(16),
    /** Port → how many connections its server serves at once, for servers that shed instead of queuing (e.g. 8080: 150). */
    slots: z.record(portKey, int(1, 10_000_000)).default({}),
  }).prefault({}),
}).prefault({});

