// `synguard lab`: run a flood rehearsal scenario in throwaway namespaces, list scenarios, and clean up leftovers.
// Registering the commands loads no lab code (`synguard --help` registers every command): each action imports it.
import type { Command } from 'commander';
import { SynguardError } from '../core/errors.js';
import { SERVER_KINDS, type ServerKind } from '../lab/server-config.js';

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new SynguardError('usage', `${flag} expects one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

interface RunFlags {
  json?: boolean;
  defend?: boolean;
  short?: boolean;
  scale?: string;
  out?: string;
  sysctl?: string[];
  server?: string;
  client?: string;
  wrkMode?: string;
  warmUp?: string;
}

function parseSysctls(pairs: readonly string[] = []): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const m = /^([a-z0-9_.]+)=(\S+)$/i.exec(p);
    if (!m) throw new SynguardError('usage', `--sysctl expects KEY=VALUE (e.g. tcp_syncookies=1), got "${p}"`);
    out[m[1] ?? ''] = m[2] ?? '';
  }
  return out;
}

function parseWarmUp(text: string): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= 0 && n <= 30) || text.trim() === '') throw new SynguardError('usage', `--warm-up expects whole seconds from 0 to 30, got "${text}"`);
  return n;
}

function parseScale(f: RunFlags): number {
  if (f.scale === undefined) return f.short ? 0.3 : 1;
  const n = Number(f.scale);
  if (!(n > 0 && n <= 1)) throw new SynguardError('usage', `--scale expects a number in (0, 1], got "${f.scale}"`);
  return n;
}

/** Commander's argParser for a repeatable option: each use adds one value. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerLab(program: Command): void {
  const lab = program.command('lab').description('rehearse SYN and connection floods in throwaway network namespaces and measure what legitimate clients feel');
  lab
    .command('run')
    .description('run a scenario (a shipped name or a YAML file) and report legitimate success and latency per phase')
    .argument('<scenario>', 'scenario name (see `synguard lab list`) or path to a YAML file')
    .option('--json', 'print the report as one JSON object')
    .option('--defend', 'run the defender (synguard run) in the victim namespace')
    .option('--no-defend', 'do not run the defender')
    .option('--short', 'scale every time by 0.3 (quick check)')
    .option('--scale <factor>', 'scale every time by this factor (0-1]')
    .option('--out <dir>', 'write timeline.csv, timeline.svg and report.json here')
    .option('--sysctl <key=value>', 'override a victim sysctl (e.g. tcp_syncookies=1); repeat for more', collect)
    .option('--server <kind>', `victim server: ${SERVER_KINDS.join(', ')} (Debian's packages, own config under the run's directory)`)
    .option('--client <kind>', 'load client beside the probe: builtin (the probe alone) or wrk (keep-alive and Connection: close)')
    .option('--wrk-mode <mode>', 'wrk\'s load: keep-alive, close (a new connection per request) or both side by side (the default); implies --client wrk')
    .option('--warm-up <seconds>', 'seconds wrk loads the server before the baseline, unmeasured, so the baseline is the server warm (0-30; default: the scenario\'s client.warmUpS)')
    .action(async (name: string, f: RunFlags) => {
      const server = oneOf<ServerKind>('--server', f.server, SERVER_KINDS);
      const wrkMode = oneOf('--wrk-mode', f.wrkMode, ['keep-alive', 'close', 'both'] as const);
      const chosen = oneOf('--client', f.client, ['builtin', 'wrk'] as const);
      if (wrkMode && chosen === 'builtin') throw new SynguardError('usage', '--wrk-mode sets wrk\'s load: it goes with --client wrk, not --client builtin');
      const warmUpS = f.warmUp === undefined ? undefined : parseWarmUp(f.warmUp);
      const client = wrkMode ? 'wrk' : chosen;
      const [{ loadScenario }, { runScenario }, { renderText }] = await Promise.all([import('../lab/scenario-load.js'), import('../lab/runner.js'), import('../lab/render-text.js')]);
      const { name: scenarioName, scenario } = loadScenario(name);
      if (warmUpS !== undefined && (client ?? scenario.client.kind) !== 'wrk') throw new SynguardError('usage', '--warm-up is wrk\'s warm-up: it goes with --client wrk (this run\'s client is the probe alone)');
      const sysctls = parseSysctls(f.sysctl);
      const report = await runScenario(scenarioName, scenario, {
        scale: parseScale(f),
        ...(f.defend !== undefined ? { defend: f.defend } : {}),
        ...(f.out !== undefined ? { outDir: f.out } : {}),
        ...(sysctls ? { sysctls } : {}),
        ...(server ? { server } : {}),
        ...(client ? { client } : {}),
        ...(wrkMode ? { wrkMode } : {}),
        ...(warmUpS !== undefined ? { warmUpS } : {}),
        ...(f.json ? {} : { log: (line: string) => process.stderr.write(`  … ${line}\n`) }),
      });
      process.stdout.write(f.json ? JSON.stringify(report) + '\n' : renderText(report));
    });
  lab
    .command('list')
    .description('list the shipped scenarios and any lab namespaces present')
    .action(async () => {
      const [{ loadScenario, scenarioNames }, { listLeftovers }] = await Promise.all([import('../lab/scenario-load.js'), import('../lab/leftovers.js')]);
      for (const n of scenarioNames()) {
        process.stdout.write(`${n.padEnd(22)}${loadScenario(n).scenario.description}\n`);
      }
      if (process.getuid?.() !== 0) return;
      const present = await listLeftovers();
      const stale = new Set(await listLeftovers({ excludeLive: true }));
      if (present.length > 0) {
        const lines = present.map((l) => `  ${l}${stale.has(l) ? ' (leftover: `synguard lab down` removes it)' : ' (live run)'}`);
        process.stdout.write(`\nlab objects present:\n${lines.join('\n')}\n`);
      }
    });
  lab
    .command('down')
    .description('remove leftovers of earlier lab runs (never a run still in progress)')
    .action(async () => {
      const [{ ensureRoot }, { removeLeftovers }] = await Promise.all([import('../lab/tools.js'), import('../lab/leftovers.js')]);
      ensureRoot();
      const { removed, failed } = await removeLeftovers();
      process.stdout.write(removed.length ? `removed:\n${removed.map((r) => `  ${r}`).join('\n')}\n` : 'nothing to remove\n');
      if (failed.length) throw new SynguardError('exec', `could not remove: ${failed.join('; ')}`);
    });
}
