// Structured logs: one JSON object per line on stdout, which journald stores as is (readable text on a terminal). No dependency: the daemon
// logs a few lines per decision, and a logging library would cost more start-up time and memory than it saves.

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: Level, event: string, fields?: Record<string, unknown>) => void;

export function jsonLog(write: (line: string) => void = (l) => process.stdout.write(l), now: () => number = Date.now): Log {
  return (level, event, fields = {}) => {
    write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, event, ...fields })}\n`);
  };
}

/** One field as text: strings bare unless they hold spaces, quotes or `=`; everything else as compact JSON. */
function fieldText(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/** Readable one-line logs for a terminal: `12:00:01.250 WARN  ban value=198.18.2.2/32 origin=kernel …`. */
export function textLog(write: (line: string) => void = (l) => process.stdout.write(l), now: () => number = Date.now): Log {
  return (level, event, fields = {}) => {
    const time = new Date(now()).toISOString().slice(11, 23);
    const rest = Object.entries(fields).map(([k, v]) => `${k}=${fieldText(v)}`).join(' ');
    write(`${time} ${level.toUpperCase().padEnd(5)} ${event}${rest ? ` ${rest}` : ''}\n`);
  };
}

export type LogFormat = 'json' | 'text';

/** JSON lines unless asked for text; with no choice, text on a terminal and JSON lines otherwise (journald, pipes). */
export function logFor(format: LogFormat | undefined, isTty: boolean = process.stdout.isTTY === true, write?: (line: string) => void): Log {
  return (format ?? (isTty ? 'text' : 'json')) === 'text' ? textLog(write) : jsonLog(write);
}

/** A log that keeps its lines, for tests. */
export function memoryLog(): Log & { lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = ((level, event, fields = {}) => { lines.push({ level, event, ...fields }); }) as Log & { lines: typeof lines };
  log.lines = lines;
  return log;
}
