// Report files under <stateDir>/reports: <id>.json and <id>.md, written atomically (temp file, then rename), the
// directory 0700 and the files 0600. Directories are made one level at a time (a recursive mkdir never returns
// on paths under /proc).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { headline, REPORT_ID, type AttackReport, type ReportSummary } from './report.js';

export const REPORTS_DIR = 'reports';

export const reportsDir = (stateDir: string): string => join(stateDir, REPORTS_DIR);

function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir, { mode: 0o700 });
}

/** Writes `name` in `dir` atomically with mode 0600. */
export function writeAtomic(dir: string, name: string, text: string): string {
  makeDirs(dir);
  const path = join(dir, name);
  const tmp = join(dir, `.${name}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return path;
}

/** Writes the report's JSON and Markdown; returns the JSON's path. */
export function writeReport(dir: string, report: AttackReport, markdown: string): string {
  writeAtomic(dir, `${report.id}.md`, markdown);
  return writeAtomic(dir, `${report.id}.json`, `${JSON.stringify(report, null, 2)}\n`);
}

export const isReportId = (id: string): boolean => REPORT_ID.test(id);

/** Report ids in the directory, newest first (ids sort by start time). */
export function reportIds(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((f) => f.endsWith('.json') && isReportId(f.slice(0, -5))).map((f) => f.slice(0, -5))
    .sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** One report, or null for an unknown (or malformed) id. */
export function readReport(dir: string, id: string): { report: AttackReport; markdown: string | null } | null {
  if (!isReportId(id)) return null;
  let report: AttackReport;
  try {
    report = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as AttackReport;
  } catch {
    return null;
  }
  let markdown: string | null = null;
  try {
    markdown = readFileSync(join(dir, `${id}.md`), 'utf8');
  } catch { /* the JSON is the record; the summary may be missing */ }
  return { report, markdown };
}

/** A page of report summaries, newest first, with the total. */
export function listReports(dir: string, page: { offset?: number; limit?: number } = {}): { total: number; reports: ReportSummary[] } {
  const ids = reportIds(dir);
  const offset = page.offset ?? 0;
  const reports: ReportSummary[] = [];
  for (const id of ids.slice(offset, offset + (page.limit ?? ids.length))) {
    const r = readReport(dir, id);
    if (r) reports.push(headline(r.report));
  }
  return { total: ids.length, reports };
}
