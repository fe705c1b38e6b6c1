// The configuration schema: every key, its type, its default, and why. Unknown keys are rejected.
import { z } from 'zod';
import { defenderSchema } from './defender.js';
import { detectionSchema } from './detection.js';
import { LISTEN_EXAMPLE, parseListen } from './listen.js';
import { notifySchema } from './notify.js';
import { upstreamSchema } from './upstream.js';
import { crowdsecSchema } from './crowdsec.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const configSchema = z.strictObject({
  /** Prefix lengths used to group sources: /24 for IPv4 and /64 for IPv6 by default. */
  prefixes: z.strictObject({
    ipv4: int(8, 32).default(24),
    ipv6: int(16, 128).default(64),
  }).prefault({}),
  /** What counts as a flood and who is an offender, one sub-section per signal: `status` and `run` (docs/config.md). */
  detection: detectionSchema,
  /** `synguard run`: loop, backend, ban policy, allow-list, hardening (docs/config.md). */
  defender: defenderSchema.prefault({}),
  /** The daemon's HTTP API and /metrics (docs/http.md). */
  http: z.strictObject({
    enabled: z.boolean().default(true),
    /** HOST:PORT; outside loopback the API is reachable from the network (a warning is logged). */
    listen: z.string().refine((v) => parseListen(v) !== null, { message: `expected HOST:PORT with an IP address (${LISTEN_EXAMPLE})` })
      .default('127.0.0.1:9717'),
    /** Serve GET /v1/decisions/stream to CrowdSec bouncers (keys: `synguard bouncers add`; docs/fleet.md). */
    bouncerStream: z.boolean().default(false),
  }).prefault({}),
  /** Webhooks and command hooks on attacks, ban bursts and hardening (docs/notify.md). */
  notify: notifySchema,
  /** Escalation to the provider over BGP when the uplink is saturated (docs/upstream.md). Disabled by default. */
  upstream: upstreamSchema.prefault({}),
  /** A CrowdSec Local API to publish bans to and enforce decisions from (docs/fleet.md). Absent: off. */
  crowdsec: crowdsecSchema.optional(),
});

export type Config = Readonly<z.infer<typeof configSchema>>;
export type DetectionConfig = Config['detection'];
export type DefenderConfig = Config['defender'];
export type BansConfig = DefenderConfig['bans'];
export type HttpConfig = Config['http'];
export type NotifyConfig = Config['notify'];
export type { UpstreamConfig } from './upstream.js';
