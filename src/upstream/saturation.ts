// Is the uplink the bottleneck? Inbound utilisation against capacity, inbound drops, and handshakes collapsing while
// packets soar; confirmed and cleared with hysteresis over time. Pure: snapshots and time come in.
import { counterRates, linkRates, rateOf } from '../detect/rates.js';
import type { Snapshot } from '../detect/snapshot.js';
import type { UpstreamConfig } from '../config/upstream.js';

export type SaturationConfig = UpstreamConfig['saturation'];

/** What one pair of snapshots says about the uplink. */
export interface LinkReading {
  readonly at: number;
  /** Inbound bits per second over capacity; null without a rate or a capacity. */
  readonly utilisation: number | null;
  readonly rxBitsPerSecond: number | null;
  readonly rxPacketsPerSecond: number | null;
  readonly rxDropsPerSecond: number | null;
  /** SyncookiesRecv + PassiveOpens per second: handshakes that really completed. */
  readonly handshakesPerSecond: number | null;
}

export interface PressureState {
  /** Confirmed saturation: the uplink is the bottleneck. */
  readonly pressured: boolean;
  /** Since when pressure has been confirmed (null when not pressured). */
  readonly since: number | null;
  /** Since when the current readings have been hot (to confirm) or cool (to clear). */
  readonly hotSince: number | null;
  readonly coolSince: number | null;
  /** Calm averages of inbound packets and handshakes per second, for the collapse signal. */
  readonly baseline: { readonly packets: number; readonly handshakes: number } | null;
  /** Why the last reading was hot (empty when it was not). */
  readonly signals: readonly string[];
  readonly last: LinkReading | null;
}

export const CALM: PressureState = { pressured: false, since: null, hotSince: null, coolSince: null, baseline: null, signals: [], last: null };

const BASELINE_WEIGHT = 0.1;
/** Fewer handshakes per second than this in the baseline cannot "collapse". */
const MIN_BASELINE_HANDSHAKES = 1;

/** One reading of the uplink between two snapshots; capacity in bits per second (0: unknown). */
export function readLink(prev: Snapshot | undefined, cur: Snapshot, iface: string, capacityBps: number): LinkReading {
  const link = linkRates(prev, cur)[iface];
  const rates = counterRates(prev, cur);
  const recv = rateOf(rates, 'SyncookiesRecv');
  const opens = rateOf(rates, 'PassiveOpens');
  const rxBits = link?.rxBytesPerSecond == null ? null : link.rxBytesPerSecond * 8;
  return {
    at: cur.takenAt,
    utilisation: rxBits === null || capacityBps <= 0 ? null : rxBits / capacityBps,
    rxBitsPerSecond: rxBits,
    rxPacketsPerSecond: link?.rxPacketsPerSecond ?? null,
    rxDropsPerSecond: link?.rxDropsPerSecond ?? null,
    handshakesPerSecond: recv === null && opens === null ? null : (recv ?? 0) + (opens ?? 0),
  };
}

const pct = (v: number): string => `${Math.round(v * 100)}%`;

/** The reasons a reading is hot (empty: not hot), and whether it is cool enough to count towards calm. */
function classify(r: LinkReading, state: PressureState, cfg: SaturationConfig): { hot: string[]; cool: boolean } {
  const hot: string[] = [];
  if (r.utilisation !== null && r.utilisation >= cfg.enter) hot.push(`inbound at ${pct(r.utilisation)} of capacity`);
  if (r.rxDropsPerSecond !== null && r.rxDropsPerSecond >= cfg.rxDropsPerSecond) hot.push(`${Math.round(r.rxDropsPerSecond)} inbound drops/s`);
  const b = state.baseline;
  const collapse =
    b !== null && b.handshakes >= MIN_BASELINE_HANDSHAKES && r.rxPacketsPerSecond !== null && r.handshakesPerSecond !== null &&
    r.rxPacketsPerSecond >= cfg.packetsFactor * Math.max(b.packets, 1) && r.handshakesPerSecond <= cfg.handshakesShare * b.handshakes;
  if (collapse) hot.push(`handshakes down to ${r.handshakesPerSecond?.toFixed(1) ?? '?'}/s (calm ${b.handshakes.toFixed(1)}/s) while inbound packets soar`);
  const cool = hot.length === 0 && (r.utilisation === null || r.utilisation < cfg.exit);
  return { hot, cool };
}

function learn(baseline: PressureState['baseline'], r: LinkReading): PressureState['baseline'] {
  if (r.rxPacketsPerSecond === null || r.handshakesPerSecond === null) return baseline;
  if (baseline === null) return { packets: r.rxPacketsPerSecond, handshakes: r.handshakesPerSecond };
  const mix = (old: number, v: number) => old + BASELINE_WEIGHT * (v - old);
  return { packets: mix(baseline.packets, r.rxPacketsPerSecond), handshakes: mix(baseline.handshakes, r.handshakesPerSecond) };
}

/** The next state: hot for `confirm` → pressured; cool for `calm` → calm again. In between, nothing changes. */
export function nextPressure(state: PressureState, r: LinkReading, cfg: SaturationConfig): PressureState {
  const { hot, cool } = classify(r, state, cfg);
  const now = r.at;
  const hotSince = hot.length > 0 ? (state.hotSince ?? now) : null;
  const coolSince = cool ? (state.coolSince ?? now) : null;
  let { pressured, since } = state;
  if (!pressured && hotSince !== null && now - hotSince >= cfg.confirm) {
    pressured = true;
    since = now;
  } else if (pressured && coolSince !== null && now - coolSince >= cfg.calm) {
    pressured = false;
    since = null;
  }
  // The baseline learns only from quiet readings, so a flood never becomes "normal".
  const baseline = !pressured && hot.length === 0 && cool ? learn(state.baseline, r) : state.baseline;
  return { pressured, since, hotSince, coolSince, baseline, signals: hot, last: r };
}
