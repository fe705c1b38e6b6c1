// The `upstream` section: when the uplink itself is the bottleneck, ask the provider over BGP (via ExaBGP) to drop
// the flood before it arrives. Disabled by default; docs/upstream.md explains every key.
import { z } from 'zod';
import { cidrText, normalizeAddress, parseCidr } from '../core/address.js';
import { duration } from './duration.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const ratio = z.number().min(0).max(1);
const SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE, DAY = 24 * HOUR;

const ownNetwork = z.string({ error: 'expected a CIDR such as "203.0.113.0/24"' }).transform((text, ctx) => {
  try {
    return cidrText(parseCidr(text));
  } catch (err) {
    ctx.issues.push({ code: 'custom', message: (err as Error).message, input: text });
    return z.NEVER;
  }
});

const address = z.string({ error: 'expected an IP address' }).transform((text, ctx) => {
  const norm = normalizeAddress(text);
  if (norm === null) {
    ctx.issues.push({ code: 'custom', message: 'expected an IP address such as 198.51.100.1 or 2001:db8::1', input: text });
    return z.NEVER;
  }
  return norm;
});

const step = (holdDown: string, maxDuration: string, enabled: boolean) => ({
  enabled: z.boolean().default(enabled),
  /** Held at least this long: no next step and no withdrawal before. */
  holdDown: duration(SECOND, DAY).prefault(holdDown),
  /** Withdrawn at the latest after this, attack or not (not re-announced in the same episode). */
  maxDuration: duration(MINUTE, 30 * DAY).prefault(maxDuration),
});

export const upstreamSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Log what would be announced and withdrawn; ExaBGP is not started. */
  dryRun: z.boolean().default(false),
  /** The uplink interface whose inbound traffic is measured. */
  interface: z.string().regex(/^[A-Za-z0-9_.:@-]{1,15}$/, { error: 'expected an interface name such as "eth0"' }).default('eth0'),
  /** Inbound capacity in Mbit/s; 0 reads /sys/class/net/<interface>/speed. */
  capacityMbps: z.number().min(0).max(10_000_000).default(0),
  /** Only addresses inside these networks are ever announced. Required when enabled. */
  ownNetworks: z.array(ownNetwork).default([]),
  saturation: z.strictObject({
    /** Inbound utilisation at or above this share of capacity is saturation … */
    enter: ratio.default(0.9),
    /** … and below this it is over (hysteresis). */
    exit: ratio.default(0.7),
    /** Inbound drops per second on the interface that say the host is no longer absorbing the flood. */
    rxDropsPerSecond: z.number().min(0).default(1000),
    /** Inbound packets this many times their calm baseline … */
    packetsFactor: z.number().min(1).default(10),
    /** … while completed handshakes (SyncookiesRecv + PassiveOpens) fall below this share of theirs: collapse. */
    handshakesShare: ratio.default(0.2),
    /** Pressure must last this long before the first announcement. */
    confirm: duration(SECOND, HOUR).prefault('5s'),
    /** Calm must last this long before announcements are withdrawn. */
    calm: duration(SECOND, DAY).prefault('2m'),
  }).superRefine((v, ctx) => {
    if (v.exit > v.enter) ctx.addIssue({ code: 'custom', path: ['exit'], message: `must be at most enter (${v.enter})` });
  }).prefault({}),
  steps: z.strictObject({
    /** FlowSpec: rate-limit TCP SYNs to the attacked address and port (RFC 8955/8956 traffic-rate). */
    rateLimit: z.strictObject({ ...step('30s', '1h', true), bytesPerSecond: int(0, 1_000_000_000).default(12_800) }).prefault({}),
    /** FlowSpec: discard them. */
    discard: z.strictObject(step('1m', '1h', true)).prefault({}),
    /** RTBH of the attacked /32 or /128 with community 65535:666 (RFC 7999): the address goes dark. */
    rtbh: z.strictObject({ ...step('5m', '30m', false), community: z.string().regex(/^\d{1,5}:\d{1,5}$/).default('65535:666') }).prefault({}),
  }).prefault({}),
  bgp: z.strictObject({
    /** The ExaBGP program (Debian `exabgp`, 4.2). */
    exabgp: z.string().min(1).default('exabgp'),
    /** The provider's router. Required when enabled. */
    peer: address.optional(),
    peerAs: int(1, 4_294_967_295).optional(),
    localAs: int(1, 4_294_967_295).optional(),
    /** This host's address on the BGP session. Required when enabled. */
    localAddress: address.optional(),
    /** Defaults to localAddress when that is IPv4. */
    routerId: address.optional(),
    /** RTBH next hops; each defaults to localAddress when of the same family. */
    nextHop4: address.optional(),
    nextHop6: address.optional(),
  }).prefault({}),
}).superRefine((v, ctx) => {
  if (!v.enabled) return;
  if (v.ownNetworks.length === 0) ctx.addIssue({ code: 'custom', path: ['ownNetworks'], message: 'must list at least one network when upstream is enabled' });
  if (v.dryRun) return;
  for (const key of ['peer', 'peerAs', 'localAs', 'localAddress'] as const) {
    if (v.bgp[key] === undefined) ctx.addIssue({ code: 'custom', path: ['bgp', key], message: 'is required when upstream is enabled' });
  }
  if (v.bgp.routerId === undefined && v.bgp.localAddress?.includes(':') === true) {
    ctx.addIssue({ code: 'custom', path: ['bgp', 'routerId'], message: 'is required when localAddress is IPv6' });
  }
  if (!v.steps.rateLimit.enabled && !v.steps.discard.enabled && !v.steps.rtbh.enabled) {
    ctx.addIssue({ code: 'custom', path: ['steps'], message: 'enable at least one step' });
  }
});

export type UpstreamConfig = z.infer<typeof upstreamSchema>;
