// /proc/PID/stat (proc(5)): CPU times, the process's own and its waited-for children's, and the session a process
// belongs to. Pure parsers, thin readers.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks of fields 14–17: user and system time, then those of the children the process has waited for. */
export interface StatTimes {
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
}

/** USER_HZ, the unit of those fields: 100 on every architecture Linux supports today. */
const TICK_MS = 10;

/**
 * The fields of one /proc/PID/stat line from field 3 (state) on, or null. They are counted after the command name's
 * closing parenthesis, the last one on the line: the name itself may hold spaces and parentheses.
 */
function fieldsAfterName(text: string): string[] | null {
  const close = text.lastIndexOf(')');
  return close < 0 ? null : text.slice(close + 2).trim().split(' ');
}

/** The four times of one /proc/PID/stat line; null when it is not one. */
export function parseStatTimes(text: string): StatTimes | null {
  const f = fieldsAfterName(text);
  if (!f) return null;
  const times = [f[11], f[12], f[13], f[14]].map(Number);
  if (times.some((t) => !Number.isInteger(t) || t < 0)) return null;
  const [utime, stime, cutime, cstime] = times as [number, number, number, number];
  return { utime, stime, cutime, cstime };
}

/** The session id (field 6) of one /proc/PID/stat line; null when it is not one. */
export function parseStatSession(text: string): number | null {
  const session = Number(fieldsAfterName(text)?.[3]); // state, ppid, pgrp, session
  return Number.isInteger(session) && session > 0 ? session : null;
}

/**
 * How many processes session `sid` holds now: a server started under setsid is its leader, so this counts its master
 * and every worker it forked (Apache prefork's pool grows and shrinks with its load).
 */
export function sessionSize(sid: number, proc = '/proc'): number {
  let n = 0;
  for (const entry of readdirSync(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (parseStatSession(readFileSync(`${proc}/${entry}/stat`, 'utf8')) === sid) n++;
    } catch {
      // ended meanwhile
    }
  }
  return n;
}

/** CPU (ms) of this process's children that have ended and been waited for so far; null when /proc cannot say. */
export function childrenCpuMs(read: () => string = () => readFileSync('/proc/self/stat', 'utf8')): number | null {
  try {
    const t = parseStatTimes(read());
    return t === null ? null : (t.cutime + t.cstime) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * Starts a CPU meter for work this thread does and children it runs and waits for (`ss`: its inet_diag dump is kernel
 * work billed to it); the returned function gives the ms spent since. A child ending in the same span counts too.
 */
export function cpuMeter(): () => number {
  const thread = process.threadCpuUsage(), children = childrenCpuMs();
  return () => {
    const spent = process.threadCpuUsage(thread), childrenNow = childrenCpuMs();
    return (spent.user + spent.system) / 1000 + (children === null || childrenNow === null ? 0 : childrenNow - children);
  };
}
