// Structured logs: one JSON object per line on stdout, which journald stores as is. No dependency: the daemon
// logs a few lines per decision, and a logging library would cost more start-up time and memory than it saves.

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: Level, event: string, fields?: Record<string, unknown>) => void;

export function jsonLog(write: (line: string) => void = (l) => process.stdout.write(l), now: () => number = Date.now): Log {
  return (level, event, fields = {}) => {
    write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fields })}\n`);
  };
}

/** A log that keeps its lines, for tests. */
export function memoryLog(): Log & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = ((level, event, fields = {}) => { lines.push({ level, event, ...fields }); }) as Log & { lines: typeof lines };
  log.lines = lines;
  return log;
}
