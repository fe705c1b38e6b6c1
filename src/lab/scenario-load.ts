// Finds, parses and validates scenario files; every error names the file and the field, and nothing is created before this passes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { SynguardError } from '../core/errors.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';
import { assertLabRange, MAX_FLOOD_S } from './flood-args.js';
import { sysctlKey } from './victim.js';

/** The scenarios shipped with synguard. */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(top level)';
}

function formatIssues(label: string, issues: readonly z.core.$ZodIssue[]): string {
  return `scenario ${label}: ` + issues.slice(0, 3).map((i) => {
    const keys = i.code === 'unrecognized_keys' ? i.keys : [];
    return keys.length > 0 ? `field ${fieldPath([...i.path, keys[0] ?? ''])}: unknown field (${keys.join(', ')})` : `field ${fieldPath(i.path)}: ${i.message}`;
  }).join('; ');
}

/** Cross-field checks zod cannot express; returns [field, problem] pairs. */
export function checkScenario(s: Scenario): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const guard = (field: string, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      problems.push([field, (err as Error).message]);
    }
  };
  for (const k of Object.keys(s.victim.sysctls)) guard(`victim.sysctls.${k}`, () => sysctlKey(k));
  s.attacks.forEach((a, i) => {
    const f = `attacks[${i}]`;
    if (a.stopS <= a.startS) problems.push([`${f}.stopS`, `must be after startS (${a.startS}), got ${a.stopS}`]);
    if (a.stopS > s.durationS) problems.push([`${f}.stopS`, `must be within durationS (${s.durationS}), got ${a.stopS}`]);
    if (a.stopS - a.startS > MAX_FLOOD_S) problems.push([`${f}.stopS`, `an attack lasts at most ${MAX_FLOOD_S} s, got ${a.stopS - a.startS} s`]);
    if (a.attacker > s.topology.attackers) problems.push([`${f}.attacker`, `topology has ${s.topology.attackers} attacker(s), got ${a.attacker}`]);
    if (a.kind === 'syn-flood' && a.spoof !== undefined && a.spoof !== 'attacker-64') {
      const v6 = a.spoof.includes(':');
      if (v6 !== (a.family === 6)) problems.push([`${f}.spoof`, `must be an IPv${a.family} prefix for a family ${a.family} flood, got ${a.spoof}`]);
      else guard(`${f}.spoof`, () => assertLabRange('prefix', a.spoof ?? ''));
    }
    if (a.kind === 'syn-flood' && a.spoof === 'attacker-64' && a.family !== 6) problems.push([`${f}.spoof`, 'attacker-64 needs family 6']);
  });
  s.changes.forEach((c, i) => {
    if (c.atS >= s.durationS) problems.push([`changes[${i}].atS`, `must be before durationS (${s.durationS}), got ${c.atS}`]);
    for (const k of Object.keys(c.sysctls)) guard(`changes[${i}].sysctls.${k}`, () => sysctlKey(k));
  });
  return problems;
}

/** Parses and validates scenario text (YAML or JSON); `label` names it in errors. Result is frozen. */
export function parseScenario(text: string, label: string): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new SynguardError('input', `scenario ${label}: not valid YAML: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new SynguardError('input', formatIssues(label, parsed.error.issues));
  const problems = checkScenario(parsed.data);
  if (problems.length > 0) {
    throw new SynguardError('input', `scenario ${label}: ` + problems.slice(0, 3).map(([f, m]) => `field ${f}: ${m}`).join('; '));
  }
  return Object.freeze(parsed.data);
}

/** Names of the shipped scenarios. */
export function scenarioNames(dir = SCENARIO_DIR): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/** Loads a shipped scenario by name, or a file by path (anything with a slash or a .yaml/.yml/.json suffix). */
export function loadScenario(nameOrPath: string, dir = SCENARIO_DIR): { name: string; scenario: Scenario } {
  const isPath = /[/\\]|\.(ya?ml|json)$/.test(nameOrPath);
  const file = isPath ? nameOrPath : join(dir, `${nameOrPath}.yaml`);
  if (!isPath && !/^[a-z0-9][a-z0-9-]*$/.test(nameOrPath)) {
    throw new SynguardError('input', `unknown scenario "${nameOrPath}" (known: ${scenarioNames(dir).join(', ')})`);
  }
  if (!existsSync(file)) {
    throw new SynguardError('input', isPath ? `scenario file ${file} does not exist` : `unknown scenario "${nameOrPath}" (known: ${scenarioNames(dir).join(', ')})`);
  }
  const name = isPath ? (file.split(/[/\\]/).pop() ?? file).replace(/\.(ya?ml|json)$/, '') : nameOrPath;
  return { name, scenario: parseScenario(readFileSync(file, 'utf8'), isPath ? file : name) };
}
