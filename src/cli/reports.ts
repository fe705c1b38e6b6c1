// `synguard reports` and `synguard reports show <id>`: the attack reports under <stateDir>/reports (files only; no
// daemon or database needed).
import type { Command } from 'commander';
import { readConfig } from '../config/read.js';
import { SynguardError } from '../core/errors.js';
import { listReports, readReport, reportMarkdown, reportsDir, isReportId } from '../report/index.js';
import { formatSeconds } from '../report/markdown.js';
import { withStateOptions, type StateOptions } from './state-dir.js';

type Opts = StateOptions & { json?: boolean };

async function dirOf(opts: StateOptions): Promise<string> {
  return reportsDir(opts.stateDir ?? (await readConfig(opts.config)).defender.stateDir);
}

const when = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export function registerReports(program: Command): void {
  const reports = withStateOptions(program.command('reports'))
    .description('list the attack reports, newest first (written when an attack ends; docs/reports.md)')
    .option('--json', 'print a JSON array of {id, class, startedAt, endedAt, durationSeconds, peakHalfOpen, bans, ...}')
    .addHelpText('after', '\nOne report: synguard reports show <id> [--json]')
    .action(async (opts: Opts) => {
      const { reports: list } = listReports(await dirOf(opts));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write('no attack reports yet\n');
        return;
      }
      process.stdout.write(`${'ID'.padEnd(22)} ${'CLASS'.padEnd(18)} ${'START'.padEnd(20)} ${'DURATION'.padStart(10)} ${'PEAK SYN_RECV'.padStart(13)} ${'BANS'.padStart(6)}\n`);
      for (const r of list) {
        process.stdout.write(`${r.id.padEnd(22)} ${r.class.padEnd(18)} ${when(r.startedAt).padEnd(20)} ${formatSeconds(r.durationSeconds).padStart(10)} ${String(r.peakHalfOpen).padStart(13)} ${String(r.bans).padStart(6)}${r.interrupted ? '  (interrupted)' : ''}\n`);
      }
    });

  withStateOptions(reports.command('show'))
    .argument('<id>', 'a report id as `synguard reports` lists it, e.g. 20261126T012345Z-7')
    .description('print one report: its Markdown summary, or the full JSON with --json')
    .option('--json', 'print the full report as JSON')
    .action(async (id: string, opts: Opts) => {
      if (!isReportId(id)) throw new SynguardError('usage', `"${id}" is not a report id (expected e.g. 20261126T012345Z-7; see synguard reports)`);
      // commander gives options the parent also knows (--json, --state-dir) to the parent: merge both
      const all = { ...reports.opts<Opts>(), ...opts };
      const found = readReport(await dirOf(all), id);
      if (!found) throw new SynguardError('input', `no report ${id} (see synguard reports)`);
      process.stdout.write(all.json ? `${JSON.stringify(found.report, null, 2)}\n` : (found.markdown ?? reportMarkdown(found.report)));
    });
}
