// `node dist/bench/scenarios.js [--scale S] [--runs N] [--pairs P [--sides A,B | --aa]] [--only a,b] [--servers builtin,nginx,apache-prefork] [--client wrk|builtin]`:
// each scenario against each victim server with the defender off and on: the probe's legitimate success during the
// attack, wrk's success and p99 (from 5 s after the flood starts) against that run's own baseline, bans, time to first
// ban, and legitimate addresses banned. Then, with --runs N, the flood-start-to-first-ban latency of concentrated-syn.
// With --pairs P instead of the table: P interleaved pairs per scenario and server (src/bench/paired.ts), wrk's
// requests/s and p99 of side B against side A in each window, as medians with their interval and range, and the load
// average. Sides (--sides A,B, default off,on): off (no defender), on (the defender), rules (the defender, paused 3 s
// into the first attack: from then on its rules and sets work alone). --aa is --sides off,off: the pairs' own spread,
// the least difference they can show.
import { cidrContains, parseCidr } from '../core/address.js';
import { planPeers } from '../lab/addressing.js';
import { runScenario } from '../lab/runner.js';
import { loadScenario } from '../lab/scenario-load.js';
import type { LabReport } from '../lab/report.js';
import { SERVER_KINDS, type ServerKind } from '../lab/server-config.js';
import { loadavg } from 'node:os';
import { median } from './measure.js';
import { PAIRED_LEGEND, pairedHeader, pairedRows, pairOrder, wrkIn } from './paired.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const list = (name: string, dflt: readonly string[]): string[] => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? '').split(',') : [...dflt]);
const scale = opt('--scale', 0.5);
const runs = opt('--runs', 0);
const pairs = opt('--pairs', 0);
const SIDES = ['off', 'on', 'rules'] as const;
type Side = (typeof SIDES)[number];
const sides = list('--sides', args.includes('--aa') ? ['off', 'off'] : ['off', 'on']);
if (sides.length !== 2 || !sides.every((x): x is Side => (SIDES as readonly string[]).includes(x))) {
  console.error(`--sides takes two of ${SIDES.join(', ')}, comma-separated (got ${sides.join(',')})`);
  process.exit(2);
}
const [sideA, sideB] = sides as [Side, Side];
/**
 * The scenarios of the server table: the two SYN floods, connections held open, slowloris in both shapes, and the
 * spoofed flood on a host with cookies already on (what the defender itself costs the server).
 */
const SCENARIOS = ['spoofed-syn', 'spoofed-syn-cookies', 'concentrated-syn', 'connection-flood', 'slowloris', 'slowloris-spread'];
const only = list('--only', SCENARIOS);
const servers = list('--servers', SERVER_KINDS) as ServerKind[];
const client = (list('--client', ['wrk'])[0] ?? 'wrk') as 'wrk' | 'builtin';

/**
 * Legitimate addresses a ban covered: those the probe speaks from, wrk's (the client's first address), and those
 * of attackers that only make complete requests (trickle), in the family they use. Spared addresses are not banned.
 */
function legitBanned(r: LabReport, name: string): string[] {
  const { scenario } = loadScenario(name);
  const peers = planPeers(scenario.topology.attackers, scenario.topology.clientExtraAddrs);
  const of = (p: (typeof peers)[number], family: 4 | 6) => (family === 6 ? p.v6 : p.v4);
  const all = of(peers[0]!, scenario.probe.family);
  const probe = scenario.probe.sources === 'primary' ? all.slice(0, 1) : scenario.probe.sources === 'shared' ? all.slice(1, 2) : all;
  const honest = scenario.attacks.filter((a) => a.kind === 'trickle').flatMap((a) => of(peers[a.attacker]!, a.family).slice(0, 1));
  const legit = [...new Set([...probe, ...all.slice(0, 1), ...honest])];
  const actions = r.defender?.actions ?? [];
  const spared = actions.filter((a) => a.kind === 'spared').map((a) => a.value).join(' ');
  const bans = actions.filter((a) => a.kind === 'ban').map((a) => parseCidr(a.value));
  return legit.filter((addr) => !spared.includes(addr) && bans.some((b) => b.family === (addr.includes(':') ? 6 : 4) && cidrContains(b, addr)));
}

function probeDuringAttack(r: LabReport): string {
  const attack = r.phases.filter((p) => p.name.startsWith('attack'));
  const phases = attack.length ? attack : r.phases;
  const ok = phases.reduce((s, p) => s + p.legit.succeeded, 0), all = phases.reduce((s, p) => s + p.legit.attempts, 0);
  return all ? `${((100 * ok) / all).toFixed(1)}%` : '-';
}

/** "success% · req/s ×baseline · p99 ×baseline" for wrk from 5 s after the flood started. */
function wrkCell(r: LabReport): string {
  const base = wrkIn(r, 'baseline'), after = wrkIn(r, 'attack, after 5 s');
  if (!base || !after) return '-';
  const pct = after.ok + after.failed ? ((100 * after.ok) / (after.ok + after.failed)).toFixed(1) : '-';
  const p99 = after.p99 !== null && base.p99 ? `${(after.p99 / base.p99).toFixed(2)}×` : '-';
  return `${pct}% · ${(after.rps / Math.max(1, base.rps)).toFixed(2)}× req/s · p99 ${p99}`;
}

function firstBanMs(r: LabReport): number | null {
  const start = r.phases.find((p) => p.name.startsWith('attack'))?.start;
  const ban = r.defender?.actions.find((a) => a.kind === 'ban');
  return start === undefined || !ban ? null : ban.at - start;
}

/** How a run of a side goes: off without the defender, on with it, rules with it paused 3 s into the first attack. */
function sideRun(side: Side, scenario: ReturnType<typeof loadScenario>['scenario']): { defend: boolean; pauseDefenderAtS?: number } {
  if (side === 'off') return { defend: false };
  if (side === 'on') return { defend: true };
  return { defend: true, pauseDefenderAtS: Math.min(...scenario.attacks.map((a) => a.startS)) + 3 };
}

/** P interleaved pairs of each scenario against each server: wrk's figures per window and mode, side B against side A. */
async function pairedTables(): Promise<void> {
  const tables = new Map<string, string[]>();
  const notes: string[] = [];
  for (const name of only) {
    const { scenario } = loadScenario(name);
    for (const server of servers) {
      const reports: Record<'a' | 'b', LabReport[]> = { a: [], b: [] };
      const loads: number[] = [];
      for (let i = 0; i < pairs; i++) {
        for (const side of pairOrder(i)) {
          loads.push(loadavg()[0] ?? 0);
          reports[side].push(await runScenario(name, scenario, { scale, server, client, ...sideRun(side === 'a' ? sideA : sideB, scenario) }));
        }
      }
      loads.push(loadavg()[0] ?? 0);
      for (const [key, row] of pairedRows(name, server, reports.a, reports.b, loads)) tables.set(key, [...(tables.get(key) ?? []), row]);
      const defended = [...(sideA === 'off' ? [] : reports.a), ...(sideB === 'off' ? [] : reports.b)];
      const bans = new Set(defended.flatMap((r) => (r.defender?.actions ?? []).filter((a) => a.kind === 'ban').map((a) => a.value)));
      const hit = new Set(defended.flatMap((r) => legitBanned(r, name)));
      if (defended.length > 0) notes.push(`${name} / ${server}: bans ${bans.size ? [...bans].join(', ') : 'none'}; legitimate addresses banned: ${hit.size ? [...hit].join(', ') : 0}`);
      const failed = [...reports.a, ...reports.b].flatMap((r) => (r.wrk ?? []).filter((w) => !w.result).map((w) => `${w.window} ${w.mode}: ${w.error ?? 'no report'}`));
      if (failed.length > 0) notes.push(`${name} / ${server}: wrk gave no report in ${failed.length} window(s), left out of their pairs: ${failed.join('; ')}`);
    }
  }
  console.log(`scale ${scale}, client ${client}, ${pairs} interleaved ${sideA}/${sideB} pairs (${sideA} first, then ${sideB} first, ...).`);
  if (sideA === sideB) console.log(`A/A: both sides ran ${sideA}, so every ratio is the measure's own spread.`);
  console.log(PAIRED_LEGEND);
  for (const [key, rows] of tables) {
    console.log(`\n${key}:\n`);
    console.log(pairedHeader(sideA, sideB));
    for (const row of rows) console.log(row);
  }
  console.log('');
  for (const n of notes) console.log(n);
}

if (pairs > 0) {
  await pairedTables();
  process.exit(0);
}

console.log(`scale ${scale}, client ${client}. probe: legitimate connections succeeding during the attack. wrk (keep-alive + close, from 5 s after`);
console.log('the flood started): requests succeeding · requests/s and p99 against the same run\'s baseline window.\n');
console.log('| scenario | server | probe off | probe on | wrk off | wrk on | bans (on) | first ban | legitimate addresses banned |');
console.log('|---|---|---:|---:|---|---|---|---:|---:|');
for (const name of only) {
  const { scenario } = loadScenario(name);
  for (const server of servers) {
    const off = await runScenario(name, scenario, { scale, defend: false, server, client });
    const on = await runScenario(name, scenario, { scale, defend: true, server, client });
    const bans = on.defender?.actions.filter((a) => a.kind === 'ban').map((a) => a.value) ?? [];
    const first = firstBanMs(on);
    const hit = legitBanned(on, name);
    console.log(`| ${name} | ${server} | ${probeDuringAttack(off)} | ${probeDuringAttack(on)} | ${wrkCell(off)} | ${wrkCell(on)} | ${bans.length ? bans.join(', ') : 0} | ${first === null ? '-' : `${(first / 1000).toFixed(1)} s`} | ${hit.length ? hit.join(', ') : 0} |`);
  }
}

if (runs === 0) process.exit(0);
const latencies: number[] = [];
const { scenario } = loadScenario('concentrated-syn');
for (let i = 0; i < runs; i++) {
  const ms = firstBanMs(await runScenario('concentrated-syn', scenario, { scale, defend: true }));
  if (ms !== null) latencies.push(ms);
}
console.log(`\nconcentrated-syn, flood start to first ban over ${runs} runs: median ${(median(latencies) / 1000).toFixed(2)} s (${latencies.map((m) => (m / 1000).toFixed(2)).join(', ')} s)`);
