// The reports endpoints: GET /api/v1/reports (a page of summaries, newest first) and GET /api/v1/reports/:id.
import { PAGE_QUERY } from './bans.js';
import { readQuery } from './query.js';
import type { HttpDeps } from './deps.js';
import { HttpError, json, type Reply } from './reply.js';
import { isReportId, listReports, readReport, reportsDir } from '../report/files.js';

export function listReportsPage(deps: HttpDeps, query: Record<string, string>): Reply {
  const { offset, limit } = readQuery(query, PAGE_QUERY);
  const { total, reports } = listReports(reportsDir(deps.store.dir), { offset, limit });
  return json(200, { total, offset, limit, reports });
}

/** The id is checked against the strict id pattern before any path is built: no traversal, no other file. */
export function getReport(deps: HttpDeps, encoded: string): Reply {
  if (!isReportId(encoded)) throw new HttpError(400, `"${encoded.slice(0, 64)}" is not a report id (expected e.g. 20261126T012345Z-7)`);
  const found = readReport(reportsDir(deps.store.dir), encoded);
  if (!found) throw new HttpError(404, `no report ${encoded}`);
  return json(200, found.report);
}
