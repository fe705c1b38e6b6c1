// The `defender` section: loop, backend, state, allow-list, ban policy and hardening targets (thresholds: detection.ts).
// Every default is chosen so that a typical web server is protected with no config file at all (docs/config.md).
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { cidrText, parseCidr } from '../core/address.js';
import { duration, formatDuration, parseDuration } from './duration.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE, DAY = 24 * HOUR;

/** A CIDR or address, stored in canonical text (IPv4-mapped forms become IPv4). */
const cidr = z.string({ error: 'expected an address or CIDR such as "203.0.113.0/24"' }).transform((text, ctx) => {
  try {
    return cidrText(parseCidr(text));
  } catch (err) {
    ctx.issues.push({ code: 'custom', message: (err as Error).message, input: text });
    return z.NEVER;
  }
});

/**
 * The loop's interval in seconds, from 0.1 to 60: a duration ("1s", "2m") like every other, or a bare number of
 * seconds (0.5), as written before durations existed and the only way below a second.
 */
const INTERVAL_EXPECTED = 'expected a duration from 1s to 60s (e.g. "1s") or a number of seconds from 0.1 to 60';
const interval = z.union([z.number(), z.string()], { error: INTERVAL_EXPECTED }).transform((v, ctx) => {
  const s = typeof v === 'number' ? v : (parseDuration(v) ?? NaN) / SECOND;
  if (!(s >= 0.1 && s <= 60)) {
    ctx.issues.push({ code: 'custom', message: INTERVAL_EXPECTED, input: v });
    return z.NEVER;
  }
  return s;
});

export const bansSchema = z.strictObject({
  /** A first offence is banned this long. */
  base: duration(SECOND, 30 * DAY).prefault('10m'),
  /** Each return multiplies the ban: base × factor^(offence − 1), up to `max`. 1 disables growth. */
  factor: z.number().min(1).max(100).default(2),
  max: duration(SECOND, 365 * DAY).prefault('24h'),
  /** Offences older than this are forgotten when the next ban's length is computed. */
  memory: duration(MINUTE, 365 * DAY).prefault('30d'),
  /** A `synguard ban` without `--for` lasts this long. */
  manual: duration(SECOND, 3650 * DAY).prefault('24h'),
  /** This many offending addresses of one /24 (IPv4) or /64 (IPv6) are banned as the whole prefix instead. */
  prefixAfter: z.strictObject({
    ipv4: int(2, 256).default(8),
    ipv6: int(2, 1_000_000).default(4),
  }).prefault({}),
  /** At most this many auto-bans are created in any minute; the rest are refused, with the reason. */
  perMinute: int(1, 1_000_000).default(60),
  /** At most this many auto-bans are active at once: a spoofed flood can never fill the ban set. */
  maxActive: int(1, 10_000_000).default(2000),
  /**
   * When a prefix is banned (not for a connection flood spread over it), addresses inside it that completed a
   * handshake with this host in the last 15 minutes stay reachable (nftables only). A forged source cannot.
   */
  spareProven: z.boolean().default(true),
}).superRefine((v, ctx) => {
  if (v.max < v.base) ctx.addIssue({ code: 'custom', path: ['max'], message: `must be at least base (${formatDuration(v.base)})` });
}).prefault({});

export const hardeningSchema = z.strictObject({
  /** Raise sysctls under attack and restore the originals when calm. tcp_syncookies is always set to 1, never 0. */
  enabled: z.boolean().default(true),
  /** net.ipv4.tcp_max_syn_backlog is raised to at least this (it matters only while cookies are off). */
  tcpMaxSynBacklog: int(128, 16_777_216).default(8192),
  /** net.core.somaxconn is raised to at least this (it caps listen() backlogs made after the change). */
  somaxconn: int(128, 2_147_483_647).default(8192),
  /** net.ipv4.tcp_synack_retries is lowered to at most this under attack: 2 ≈ 7 s per half-open entry, 5 ≈ 63 s. */
  synackRetries: int(1, 10).default(2),
  /** How long the assessment must stay calm before the originals are restored. */
  calmDown: duration(SECOND, DAY).prefault('2m'),
}).prefault({});

export const defenderSchema = z.strictObject({
  /** Seconds between two looks at the kernel ("1s", or a number of seconds such as 0.5). */
  interval: interval.default(1),
  backend: z.enum(['nftables', 'route', 'ipset']).default('nftables'),
  /** Log the decisions and enforce nothing. */
  dryRun: z.boolean().default(false),
  stateDir: z.string().refine((p) => isAbsolute(p), { error: 'expected an absolute path' }).default('/var/lib/synguard'),
  /** Destroy the established sockets of a banned source (`ss -K`). */
  killSockets: z.boolean().default(true),
  /** Never banned, automatically or manually, in addition to loopback, own addresses, gateways and SSH peers. */
  allowList: z.array(cidr).default([]),
  /** Local ports of sshd: the peers of established sessions on them are never banned. */
  sshPorts: z.array(int(1, 65535)).min(1).default([22]),
  bans: bansSchema,
  hardening: hardeningSchema,
});
