// The shape of a scenario file (zod): topology, victim, probe, timed attack steps, timed victim changes, defender.
import { z } from 'zod';
import { SERVER_KINDS } from './server-config.js';

const seconds = z.number().min(0).max(600);
/** wrk's unmeasured load before t = 0 (client.warmUpS). */
export const WARM_UP_S = 10;
const sysctls = z.record(z.string().min(1), z.union([z.number(), z.string()]));
const family = z.union([z.literal(4), z.literal(6)]).default(4);
const step = {
  /** 1-based attacker index. */
  attacker: z.number().int().min(1).default(1),
  family,
  startS: seconds,
  stopS: seconds,
};

export const synFloodStep = z.strictObject({
  kind: z.literal('syn-flood'),
  ...step,
  pps: z.number().positive().max(200_000),
  maxPackets: z.number().int().positive().max(10_000_000),
  /** IPv4: spoof sources from this prefix (nft numgen). IPv6: rotate sources inside this prefix; "attacker-64" = the attacker's own /64. */
  spoof: z.string().min(1).optional(),
});

export const connFloodStep = z.strictObject({
  kind: z.literal('conn-flood'),
  ...step,
  rate: z.number().positive().max(5000),
  connections: z.number().int().positive().max(60_000),
  /** How many of the attacker's addresses to use (the extra ones are added in its /24 and /64). */
  addresses: z.number().int().min(1).max(16).default(1),
});

export const trickleStep = z.strictObject({
  kind: z.literal('trickle'),
  ...step,
  rate: z.number().positive().max(1000),
});

/** Slowloris: real connections that send a partial request header, one more header line every intervalS, never finishing it. */
export const slowlorisStep = z.strictObject({
  kind: z.literal('slowloris'),
  ...step,
  /** New connections per second (all addresses together). */
  rate: z.number().positive().max(5000).default(100),
  /** Connections in all, spread evenly over the addresses. */
  connections: z.number().int().positive().max(5000),
  /** How many of the attacker's addresses (the extra ones in its /24 and /64). */
  addresses: z.number().int().min(1).max(16).default(1),
  /** Seconds between header lines on each connection. */
  intervalS: z.number().min(0.5).max(60).default(5),
});

export const attackStep = z.discriminatedUnion('kind', [synFloodStep, connFloodStep, trickleStep, slowlorisStep]);

export const scenarioSchema = z.strictObject({
  description: z.string().min(1),
  durationS: z.number().positive().max(600),
  bucketMs: z.number().int().min(100).max(60_000).default(1000),
  topology: z.strictObject({
    attackers: z.number().int().min(1).max(20).default(1),
    clientExtraAddrs: z.number().int().min(1).max(20).default(2),
  }).default({ attackers: 1, clientExtraAddrs: 2 }),
  victim: z.strictObject({
    port: z.number().int().min(1).max(65535).default(8080),
    backlog: z.number().int().min(1).max(1_000_000),
    /** Server closes connections beyond this many (0 = unlimited). */
    maxConnections: z.number().int().min(0).default(0),
    /** builtin: the lab's small node server; nginx / apache-prefork: Debian's package with a generated config (docs/lab.md). */
    server: z.enum(SERVER_KINDS).default('builtin'),
    sysctls: sysctls.default({}),
  }),
  probe: z.strictObject({
    rate: z.number().positive().max(500).default(20),
    timeoutMs: z.number().int().min(100).max(30_000).default(3000),
    family,
    /** primary: the client's first address; shared: the one in the first attacker's /24 and /64; all: rotate over every address. */
    sources: z.enum(['primary', 'shared', 'all']).default('all'),
  }).default({ rate: 20, timeoutMs: 3000, family: 4, sources: 'all' }),
  /** The load client beside the probe: none (builtin) or wrk from the client namespace, in fixed time windows. */
  client: z.strictObject({
    kind: z.enum(['builtin', 'wrk']).default('builtin'),
    /** wrk connections per mode; `both` runs a keep-alive wrk and a `Connection: close` wrk side by side. */
    connections: z.number().int().min(1).max(1000).default(10),
    mode: z.enum(['keep-alive', 'close', 'both']).default('both'),
    /**
     * Seconds wrk loads the server before t = 0, unmeasured, so the baseline is the server running under this load,
     * not its cold start (Apache prefork's pool grows to ~130 processes in wrk's first 10 s: docs/benchmarks.md, round 21).
     */
    warmUpS: z.number().int().min(0).max(30).default(WARM_UP_S),
  }).default({ kind: 'builtin', connections: 10, mode: 'both', warmUpS: WARM_UP_S }),
  attacks: z.array(attackStep).default([]),
  changes: z.array(z.strictObject({ atS: seconds, sysctls })).default([]),
  defender: z.strictObject({
    enabled: z.boolean().default(false),
    config: z.record(z.string(), z.unknown()).default({}),
  }).default({ enabled: false, config: {} }),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type AttackStep = z.infer<typeof attackStep>;
