// `node dist/bench/scenarios.js [--scale S] [--runs N] [--only a,b]`: every shipped scenario with the defender off and on
// (legitimate success during the attack phases), and the time from flood start to the first ban, over N runs.
import { cidrContains, parseCidr } from '../core/address.js';
import { planPeers } from '../lab/addressing.js';
import { runScenario } from '../lab/runner.js';
import { loadScenario } from '../lab/scenario-load.js';
import type { LabReport } from '../lab/report.js';
import { median } from './measure.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const scale = opt('--scale', 0.5);
const runs = opt('--runs', 5);
const SCENARIOS = [
  'baseline', 'trickle', 'spoofed-syn', 'concentrated-syn', 'concentrated-syn-v6', 'rotating-v6', 'connection-flood', 'mixed',
  'busy-proxy', 'mixed-cookies', 'late-attacker',
];
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : SCENARIOS;

/**
 * Legitimate addresses a ban covered: those the probe speaks from, and those of attackers that only make complete
 * requests (trickle), in the family they use. (An address that never spoke cannot be proven, so it is not spared.)
 */
function legitBanned(r: LabReport, name: string): string[] {
  const { scenario } = loadScenario(name);
  const peers = planPeers(scenario.topology.attackers, scenario.topology.clientExtraAddrs);
  const of = (p: (typeof peers)[number], family: 4 | 6) => (family === 6 ? p.v6 : p.v4);
  const client = of(peers[0]!, scenario.probe.family);
  const probe = scenario.probe.sources === 'primary' ? client.slice(0, 1) : scenario.probe.sources === 'shared' ? client.slice(1, 2) : client;
  const honest = scenario.attacks.filter((a) => a.kind === 'trickle').flatMap((a) => of(peers[a.attacker]!, a.family).slice(0, 1));
  const legit = [...probe, ...honest];
  const actions = r.defender?.actions ?? [];
  const spared = actions.filter((a) => a.kind === 'spared').map((a) => a.value).join(' ');
  const bans = actions.filter((a) => a.kind === 'ban').map((a) => parseCidr(a.value));
  return legit.filter((addr) => !spared.includes(addr) && bans.some((b) => b.family === (addr.includes(':') ? 6 : 4) && cidrContains(b, addr)));
}

function legitDuringAttack(r: LabReport): string {
  const attack = r.phases.filter((p) => p.name.startsWith('attack'));
  const phases = attack.length ? attack : r.phases;
  const ok = phases.reduce((s, p) => s + p.legit.succeeded, 0), all = phases.reduce((s, p) => s + p.legit.attempts, 0);
  return `${ok}/${all} (${all ? ((100 * ok) / all).toFixed(1) : '-'}%)`;
}

function firstBanMs(r: LabReport): number | null {
  const start = r.phases.find((p) => p.name.startsWith('attack'))?.start;
  const ban = r.defender?.actions.find((a) => a.kind === 'ban');
  return start === undefined || !ban ? null : ban.at - start;
}

console.log(`scale ${scale}; legitimate successes during the attack phases\n`);
console.log('| scenario | defender off | defender on | bans (on) | legitimate addresses banned (on) | first ban after flood start |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const name of SCENARIOS.filter((n) => only.includes(n))) {
  const { scenario } = loadScenario(name);
  const off = await runScenario(name, scenario, { scale, defend: false });
  const on = await runScenario(name, scenario, { scale, defend: true });
  const bans = on.defender?.actions.filter((a) => a.kind === 'ban').map((a) => a.value) ?? [];
  const first = firstBanMs(on);
  const hit = legitBanned(on, name);
  console.log(`| ${name} | ${legitDuringAttack(off)} | ${legitDuringAttack(on)} | ${bans.length ? bans.join(', ') : 0} | ${hit.length ? hit.join(', ') : 0} | ${first === null ? '-' : `${(first / 1000).toFixed(2)} s`} |`);
}

if (runs === 0) process.exit(0);
const latencies: number[] = [];
const { scenario } = loadScenario('concentrated-syn');
for (let i = 0; i < runs; i++) {
  const ms = firstBanMs(await runScenario('concentrated-syn', scenario, { scale, defend: true }));
  if (ms !== null) latencies.push(ms);
}
console.log(`\nconcentrated-syn, flood start to first ban over ${runs} runs: median ${(median(latencies) / 1000).toFixed(2)} s (${latencies.map((m) => (m / 1000).toFixed(2)).join(', ')} s)`);
