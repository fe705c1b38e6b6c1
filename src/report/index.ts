// Attack reports: the recorder, the finished report, its Markdown, the files, and the daemon's glue.
export { startReports, recoverOpenAttacks, type Reports } from './reporter.js';
export { reportsDir, listReports, readReport, isReportId } from './files.js';
export { reportMarkdown } from './markdown.js';
export type { AttackReport, ReportSummary } from './report.js';
