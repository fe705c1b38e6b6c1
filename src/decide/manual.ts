// Manual bans and unbans (`synguard ban ADDR[/LEN] --for D --reason T`, `synguard unban`): validated into records.
import type { Decision } from '../core/decision.js';
import { SynguardError } from '../core/errors.js';
import type { Config } from '../config/schema.js';
import { DURATION_EXAMPLE, formatDuration, parseDuration } from '../config/duration-text.js';
import type { AllowList } from './allow-list.js';
import { toNet, type Net } from './cidr-math.js';

export interface ManualBanRequest {
  /** `ADDR` or `ADDR/LEN`, IPv4 or IPv6; IPv4-mapped forms become IPv4. */
  readonly target: string;
  /** `--for`: a duration like "30s", "10m", "1h", "7d"; `defender.bans.manual` when absent. */
  readonly for?: string;
  readonly reason?: string;
}

export interface ManualContext {
  readonly allow: AllowList;
  readonly config: Config;
  readonly now: number;
  /** Past offences of this value (store.decisions.offences), recorded in the decision. */
  readonly offences?: number;
}

/** Shorter prefixes than these are refused: a typo like /1 would cut the host off from half the Internet. */
export const WIDEST = { 4: 8, 6: 16 } as const;
const MAX_FOR = 3650 * 86_400_000;
const MAX_REASON = 200;

function target(text: string): Net {
  const net = toNet(text); // throws SynguardError('input') with an example of a correct value
  if (net.length < WIDEST[net.family]) {
    throw new SynguardError('input', `"${text}" is too wide to ban: IPv${net.family} prefixes must be /${WIDEST[net.family]} or longer (e.g. 203.0.113.0/24 or 2001:db8:1::/64)`);
  }
  return net;
}

function lifetime(text: string | undefined, config: Config): number {
  if (text === undefined) return config.defender.bans.manual;
  const ms = parseDuration(text);
  if (ms === null || ms > MAX_FOR) {
    throw new SynguardError('input', `--for "${text}" is not a duration up to ${formatDuration(MAX_FOR)} (${DURATION_EXAMPLE})`);
  }
  return ms;
}

function reasonText(text: string | undefined): string {
  const reason = (text ?? '').trim();
  if (reason === '') return 'manual ban';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(reason) || reason.length > MAX_REASON) {
    throw new SynguardError('input', `--reason must be one line of at most ${MAX_REASON} characters (e.g. --reason "scraper, ticket 4711")`);
  }
  return reason;
}

/** Validates a manual ban into a Decision, or throws SynguardError('input') naming what is wrong and why. */
export function manualBan(request: ManualBanRequest, ctx: ManualContext): Decision {
  const net = target(request.target);
  const why = ctx.allow.why(net.text);
  if (why !== null) throw new SynguardError('input', `refusing to ban ${net.text}: ${why}`);
  const ms = lifetime(request.for, ctx.config);
  return {
    scope: net.length === (net.family === 4 ? 32 : 128) ? 'ip' : 'prefix',
    value: net.text,
    action: 'ban',
    reason: reasonText(request.reason),
    evidence: [`banned by hand for ${formatDuration(ms)}`],
    origin: 'manual',
    createdAt: ctx.now,
    until: ctx.now + ms,
    offence: (ctx.offences ?? 0) + 1,
  };
}

/** The canonical value an unban names (`::ffff:198.51.100.7` → `198.51.100.7/32`), or an input error with an example. */
export function manualUnbanValue(text: string): string {
  return toNet(text).text;
}
