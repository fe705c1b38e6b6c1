// Runs one scenario for real: builds the lab, starts the victim and probe, fires the timed attacks and changes, then builds the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { networkOf } from '../core/address.js';
import { VICTIM_V4, VICTIM_V6 } from './addressing.js';
import { synFlood } from './attacks.js';
import { connectionFlood, slowloris, trickle } from './load.js';
import { attackLabel, scaleScenario, scheduledEvents, wrkWindows, type TimelineEvent } from './plan.js';
import { startProbe } from './probe.js';
import { buildReport, type AttackStepResult, type LabReport } from './report.js';
import type { AttackStep, Scenario } from './scenario-schema.js';
import { addHostAddresses, withLab, type Lab } from './topology.js';
import { ensureRoot, ensureTools } from './tools.js';
import { setSysctls, startVictimServer } from './victim.js';
import { timelineCsv } from './csv.js';
import { timelineSvg } from './chart.js';
import { counterDelta, readVictimCounters } from './counters.js';
import { builtinDefender, requireDefender, withDeclaredSlots, type DefenderLauncher, type RunningDefender } from './defender.js';
import { startRealServer } from './real-server.js';
import { SERVER_LIMITS, type ServerKind } from './server-config.js';
import { runWrkWindows, type WrkWindowResult } from './wrk-run.js';

export interface RunOptions {
  /** Multiply every time by this (the short suite uses 0.3). */
  scale?: number;
  /** Overrides the scenario's defender.enabled. */
  defend?: boolean;
  /** Where the CSV, SVG and JSON go; default $TMPDIR (else /tmp)/synguard-lab/<scenario>-<lab id>. */
  outDir?: string;
  /** Extra victim sysctls applied over the scenario's. */
  sysctls?: Record<string, string | number>;
  /** How to start the defender when it runs; default the built-in one (none yet). */
  defender?: DefenderLauncher | null;
  /** Progress lines (lab up, attacks starting and stopping, changes); default silent. */
  log?: (line: string) => void;
  /** Overrides the scenario's victim.server. */
  server?: ServerKind;
  /** Overrides the scenario's client.kind. */
  client?: 'builtin' | 'wrk';
  /** Overrides the scenario's client.mode (wrk keep-alive, close, or both side by side). */
  wrkMode?: Scenario['client']['mode'];
  /** Overrides the scenario's client.warmUpS (seconds of unmeasured wrk load before t = 0). */
  warmUpS?: number;
  /**
   * Seconds into the run (before scaling, like the scenario's own times) at which the defender is paused where it
   * stands (RunningDefender.pause): from then on the run measures its rules alone.
   */
  pauseDefenderAtS?: number;
}

/** Programs a scenario needs, beyond ip/nft/sysctl. */
function toolsFor(s: Scenario): string[] {
  const t = ['ip', 'nft', 'sysctl'];
  if (s.attacks.some((a) => a.kind === 'syn-flood' && a.family === 4)) t.push('hping3');
  if (s.attacks.some((a) => a.kind === 'syn-flood' && a.family === 6)) t.push('python3');
  if (s.victim.server === 'nginx') t.push('nginx');
  if (s.victim.server === 'apache-prefork') t.push('apache2');
  if (s.client.kind === 'wrk') t.push('wrk');
  return t;
}

async function runStep(lab: Lab, s: Scenario, a: AttackStep, index: number, origin: number, log: (l: string) => void): Promise<AttackStepResult> {
  const result = await runStepQuiet(lab, s, a, index, origin, log);
  log(`${(result.end / 1000).toFixed(1)}s ${result.label} ended: ${result.packetsSent} sent${result.error ? `, failed: ${result.error}` : ''}`);
  return result;
}

async function runStepQuiet(lab: Lab, s: Scenario, a: AttackStep, index: number, origin: number, log: (l: string) => void): Promise<AttackStepResult> {
  const label = attackLabel(a, index);
  const wait = origin + a.startS * 1000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const start = Date.now() - origin;
  log(`${(start / 1000).toFixed(1)}s ${label} starts`);
  const durationS = Math.max(0.1, a.stopS - (Date.now() - origin) / 1000);
  const base = lab.attackers[a.attacker - 1];
  if (!base) throw new Error(`no attacker ${a.attacker}`);
  const target = a.family === 6 ? VICTIM_V6 : VICTIM_V4;
  const port = s.victim.port;
  try {
    if (a.kind === 'syn-flood') {
      const spoof = a.spoof === 'attacker-64' ? `${networkOf(base.v6[0] ?? '', 64)}/64` : a.spoof;
      const r = await synFlood(base, { target, port, pps: a.pps, maxPackets: a.maxPackets, durationS, ...(spoof ? { spoofCidr: spoof } : {}) });
      return { label, kind: a.kind, start, end: Date.now() - origin, packetsSent: r.packetsSent };
    }
    const host = (a.kind === 'conn-flood' || a.kind === 'slowloris') && a.addresses > 1 ? await addHostAddresses(base, a.addresses - 1) : base;
    const sources = (a.family === 6 ? host.v6 : host.v4).slice(0, a.kind === 'trickle' ? 1 : a.addresses);
    if (a.kind === 'slowloris') {
      const r = await slowloris(host, { target, port, rate: a.rate, maxConnections: a.connections, durationS, sources, intervalMs: a.intervalS * 1000 });
      return { label, kind: a.kind, start, end: Date.now() - origin, packetsSent: r.attempted, detail: { ...r } };
    }
    const max = a.kind === 'conn-flood' ? a.connections : Math.ceil(a.rate * durationS);
    const r = await (a.kind === 'conn-flood' ? connectionFlood : trickle)(host, { target, port, rate: a.rate, maxConnections: max, durationS, sources });
    return { label, kind: a.kind, start, end: Date.now() - origin, packetsSent: r.attempted, detail: { ...r } };
  } catch (err) {
    return { label, kind: a.kind, start, end: Date.now() - origin, packetsSent: 0, error: (err as Error).message };
  }
}

/** Runs the scenario in a fresh lab (always torn down) and returns the report; writes CSV, SVG and JSON to the out dir. */
export async function runScenario(name: string, loaded: Scenario, opts: RunOptions = {}): Promise<LabReport> {
  const scale = opts.scale ?? 1;
  const base = scaleScenario(loaded, scale);
  const s: Scenario = {
    ...base,
    victim: { ...base.victim, sysctls: { ...base.victim.sysctls, ...opts.sysctls }, server: opts.server ?? base.victim.server },
    client: { ...base.client, kind: opts.client ?? base.client.kind, mode: opts.wrkMode ?? base.client.mode, warmUpS: opts.warmUpS ?? base.client.warmUpS },
  };
  const launcher = (opts.defend ?? s.defender.enabled) ? requireDefender(opts.defender === undefined ? builtinDefender() : opts.defender) : null;
  ensureRoot();
  ensureTools(toolsFor(s));
  const log = opts.log ?? ((): void => undefined);
  return withLab(s.topology, async (lab) => {
    log(`lab ${lab.id} up: namespaces sgl-${lab.id}-*; running ${name} for ${s.durationS} s`);
    await setSysctls(lab.victim.ns, s.victim.sysctls);
    const dir = opts.outDir ?? join(tmpdir(), 'synguard-lab', `${name}-${lab.id}`);
    mkdirSync(dir, { recursive: true });
    const listen = { port: s.victim.port, backlog: s.victim.backlog };
    const real = s.victim.server === 'builtin' ? null : await startRealServer(s.victim.server, lab.victim.ns, dir, lab.id, listen);
    const server = real ?? await startVictimServer(lab.victim.ns, { ...listen, maxConnections: s.victim.maxConnections });
    let defender: RunningDefender | null = null;
    let pause: NodeJS.Timeout | undefined;
    try {
      if (launcher) {
        const stateDir = join(dir, 'defender-state');
        mkdirSync(stateDir, { recursive: true });
        // The builtin server sheds beyond maxConnections (Node's server.maxConnections): declare its slots.
        const shed = s.victim.server === 'builtin' && s.victim.maxConnections > 0;
        const config = shed ? withDeclaredSlots(s.defender.config, s.victim.port, s.victim.maxConnections) : s.defender.config;
        defender = await launcher({ ns: lab.victim.ns, config, stateDir });
      }
      // wrk's warm-up runs before t = 0: the probe, the attacks and the counters start at t = 0.
      const warmMs = s.client.kind === 'wrk' ? s.client.warmUpS * 1000 : 0;
      const origin = Date.now() + 500 + warmMs;
      const c = lab.client;
      const all = s.probe.family === 6 ? c.v6 : c.v4;
      const sources = s.probe.sources === 'primary' ? all.slice(0, 1) : s.probe.sources === 'shared' ? all.slice(1, 2) : all;
      const probe = startProbe(c.ns, {
        target: s.probe.family === 6 ? VICTIM_V6 : VICTIM_V4, port: s.victim.port, rate: s.probe.rate,
        durationMs: s.durationS * 1000, timeoutMs: s.probe.timeoutMs, sources, startAt: origin,
      });
      const target = s.probe.family === 6 ? `[${VICTIM_V6}]` : VICTIM_V4;
      const modes = s.client.mode === 'both' ? (['keep-alive', 'close'] as const) : [s.client.mode];
      const wrk: Promise<WrkWindowResult[]> | null = s.client.kind === 'wrk'
        ? runWrkWindows(c.ns, `http://${target}:${s.victim.port}/`, wrkWindows(s), modes, s.client.connections, origin, dir, real ? () => real.processes() : null)
        : null;
      if (warmMs > 0) log(`wrk warms the server up for ${s.client.warmUpS} s before t = 0`);
      await new Promise((r) => setTimeout(r, origin - 300 - Date.now()));
      const before = await readVictimCounters(lab.victim.ns);
      const events: TimelineEvent[] = scheduledEvents(s).filter((e) => e.kind !== 'change');
      const changes = s.changes.map(async (ch) => {
        const wait = origin + ch.atS * 1000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const value = Object.entries(ch.sysctls).map(([k, v]) => `${k}=${String(v)}`).join(' ');
        const failed = await setSysctls(lab.victim.ns, ch.sysctls).then(() => '', (err: Error) => ` (failed: ${err.message})`);
        events.push({ at: Date.now() - origin, kind: 'change', value: value + failed });
        log(`${((Date.now() - origin) / 1000).toFixed(1)}s victim: ${value}${failed}`);
      });
      const running = defender;
      if (running && opts.pauseDefenderAtS !== undefined) pause = setTimeout(() => running.pause(), origin + opts.pauseDefenderAtS * scale * 1000 - Date.now());
      const steps = await Promise.all(s.attacks.map((a, i) => runStep(lab, s, a, i, origin, log)));
      await Promise.all(changes);
      const samples = await probe.done;
      const wrkResults = wrk ? await wrk : null;
      log(`probe done: ${samples.length} legitimate attempts; tearing down`);
      const counters = counterDelta(before, await readVictimCounters(lab.victim.ns));
      const actions = defender?.actions().map((a) => ({ at: a.atEpochMs - origin, kind: a.kind, value: a.value }));
      const report = buildReport({ name, scenario: s, labId: lab.id, origin, scale, samples, steps, events, defender: actions ? { actions } : null, counters });
      report.server = { kind: s.victim.server, limits: s.victim.server === 'builtin' ? `listen backlog ${s.victim.backlog}, max ${s.victim.maxConnections || 'unlimited'} connections` : SERVER_LIMITS[s.victim.server] };
      report.wrk = wrkResults;
      report.files = { dir, csv: join(dir, 'timeline.csv'), svg: join(dir, 'timeline.svg'), json: join(dir, 'report.json') };
      writeFileSync(report.files.csv, timelineCsv(report));
      writeFileSync(report.files.svg, timelineSvg(report));
      writeFileSync(report.files.json, JSON.stringify(report, null, 2) + '\n');
      return report;
    } finally {
      clearTimeout(pause);
      await defender?.stop();
      await server.stop();
    }
  });
}
