// Runs one scenario for real: builds the lab, starts the victim and probe, fires the timed attacks and changes, then builds the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { networkOf } from '../core/address.js';
import { VICTIM_V4, VICTIM_V6 } from './addressing.js';
import { synFlood } from './attacks.js';
import { connectionFlood, trickle } from './load.js';
import { attackLabel, scaleScenario, scheduledEvents, type TimelineEvent } from './plan.js';
import { startProbe } from './probe.js';
import { buildReport, type AttackStepResult, type LabReport } from './report.js';
import type { AttackStep, Scenario } from './scenario-schema.js';
import { addHostAddresses, withLab, type Lab } from './topology.js';
import { ensureRoot, ensureTools } from './tools.js';
import { setSysctls, startVictimServer } from './victim.js';
import { timelineCsv } from './csv.js';
import { timelineSvg } from './chart.js';
import { counterDelta, readVictimCounters } from './counters.js';
import { builtinDefender, requireDefender, type DefenderLauncher, type RunningDefender } from './defender.js';

export interface RunOptions {
  /** Multiply every time by this (the short suite uses 0.3). */
  scale?: number;
  /** Overrides the scenario's defender.enabled. */
  defend?: boolean;
  /** Where the CSV, SVG and JSON go; default /tmp/synguard-lab/<scenario>-<lab id>. */
  outDir?: string;
  /** Extra victim sysctls applied over the scenario's. */
  sysctls?: Record<string, string | number>;
  /** How to start the defender when it runs; default the built-in one (none yet). */
  defender?: DefenderLauncher | null;
  /** Progress lines (lab up, attacks starting and stopping, changes); default silent. */
  log?: (line: string) => void;
}

/** Programs a scenario needs, beyond ip/nft/sysctl. */
function toolsFor(s: Scenario): string[] {
  const t = ['ip', 'nft', 'sysctl'];
  if (s.attacks.some((a) => a.kind === 'syn-flood' && a.family === 4)) t.push('hping3');
  if (s.attacks.some((a) => a.kind === 'syn-flood' && a.family === 6)) t.push('python3');
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
    const host = a.kind === 'conn-flood' && a.addresses > 1 ? await addHostAddresses(base, a.addresses - 1) : base;
    const sources = a.family === 6 ? host.v6 : host.v4;
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
  const s: Scenario = opts.sysctls ? { ...base, victim: { ...base.victim, sysctls: { ...base.victim.sysctls, ...opts.sysctls } } } : base;
  const launcher = (opts.defend ?? s.defender.enabled) ? requireDefender(opts.defender === undefined ? builtinDefender() : opts.defender) : null;
  ensureRoot();
  ensureTools(toolsFor(s));
  const log = opts.log ?? ((): void => undefined);
  return withLab(s.topology, async (lab) => {
    log(`lab ${lab.id} up: namespaces sgl-${lab.id}-*; running ${name} for ${s.durationS} s`);
    await setSysctls(lab.victim.ns, s.victim.sysctls);
    const server = await startVictimServer(lab.victim.ns, { port: s.victim.port, backlog: s.victim.backlog, maxConnections: s.victim.maxConnections });
    let defender: RunningDefender | null = null;
    try {
      const dir = opts.outDir ?? join('/tmp/synguard-lab', `${name}-${lab.id}`);
      mkdirSync(dir, { recursive: true });
      if (launcher) {
        const stateDir = join(dir, 'defender-state');
        mkdirSync(stateDir, { recursive: true });
        defender = await launcher({ ns: lab.victim.ns, config: s.defender.config, stateDir });
      }
      const before = await readVictimCounters(lab.victim.ns);
      const origin = Date.now() + 500;
      const c = lab.client;
      const all = s.probe.family === 6 ? c.v6 : c.v4;
      const sources = s.probe.sources === 'primary' ? all.slice(0, 1) : s.probe.sources === 'shared' ? all.slice(1, 2) : all;
      const probe = startProbe(c.ns, {
        target: s.probe.family === 6 ? VICTIM_V6 : VICTIM_V4, port: s.victim.port, rate: s.probe.rate,
        durationMs: s.durationS * 1000, timeoutMs: s.probe.timeoutMs, sources, startAt: origin,
      });
      const events: TimelineEvent[] = scheduledEvents(s).filter((e) => e.kind !== 'change');
      const changes = s.changes.map(async (ch) => {
        const wait = origin + ch.atS * 1000 - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const value = Object.entries(ch.sysctls).map(([k, v]) => `${k}=${String(v)}`).join(' ');
        const failed = await setSysctls(lab.victim.ns, ch.sysctls).then(() => '', (err: Error) => ` (failed: ${err.message})`);
        events.push({ at: Date.now() - origin, kind: 'change', value: value + failed });
        log(`${((Date.now() - origin) / 1000).toFixed(1)}s victim: ${value}${failed}`);
      });
      const steps = await Promise.all(s.attacks.map((a, i) => runStep(lab, s, a, i, origin, log)));
      await Promise.all(changes);
      const samples = await probe.done;
      log(`probe done: ${samples.length} legitimate attempts; tearing down`);
      const counters = counterDelta(before, await readVictimCounters(lab.victim.ns));
      const actions = defender?.actions().map((a) => ({ at: a.atEpochMs - origin, kind: a.kind, value: a.value }));
      const report = buildReport({ name, scenario: s, labId: lab.id, origin, scale, samples, steps, events, defender: actions ? { actions } : null, counters });
      report.files = { dir, csv: join(dir, 'timeline.csv'), svg: join(dir, 'timeline.svg'), json: join(dir, 'report.json') };
      writeFileSync(report.files.csv, timelineCsv(report));
      writeFileSync(report.files.svg, timelineSvg(report));
      writeFileSync(report.files.json, JSON.stringify(report, null, 2) + '\n');
      return report;
    } finally {
      await defender?.stop();
      await server.stop();
    }
  });
}
