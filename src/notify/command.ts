// Delivery by a local program: argv from the config (never a shell), the message as JSON on stdin, a few
// SYNGUARD_* variables, a timeout. A failure is reported, never retried: the program may have done half its work.
import { exec as realExec, type Exec } from '../core/exec.js';
import type { CommandConfig } from '../config/notify.js';
import type { Message } from './messages.js';
import type { Deliver, Delivery } from './sink.js';

/** The variables a command hook sees on top of the daemon's environment. */
export function hookEnv(m: Message): Record<string, string> {
  const env: Record<string, string> = {
    SYNGUARD_EVENT: m.type,
    SYNGUARD_SCHEMA: String(m.schema),
    SYNGUARD_MESSAGE_ID: m.id,
    SYNGUARD_HOST: m.host,
    SYNGUARD_TIME: m.time,
  };
  if (m.type === 'attack-start' || m.type === 'attack-end') {
    env['SYNGUARD_ATTACK_CLASS'] = m.attack.class;
    if (m.attack.id !== null) env['SYNGUARD_ATTACK_ID'] = String(m.attack.id);
  }
  if (m.type === 'bans') env['SYNGUARD_BAN_COUNT'] = String(m.count);
  if (m.type === 'hardening') env['SYNGUARD_HARDENING'] = m.state;
  return env;
}

export function commandDeliver(c: CommandConfig, exec: Exec = realExec): Deliver {
  const [file = '', ...args] = c.run;
  return async (message): Promise<Delivery> => {
    const r = await exec(file, args, {
      input: `${JSON.stringify(message)}\n`,
      timeoutMs: c.timeout,
      maxBufferBytes: 1024 * 1024,
      env: { ...process.env, ...hookEnv(message) },
    });
    if (!r.failed) return { ok: true, retry: false, detail: 'exit 0' };
    const stderr = r.stderr.trim().split('\n').slice(-2).join(' / ');
    const why = r.spawnError ? `cannot start ${file}: ${r.spawnError}` : r.timedOut ? `killed after ${c.timeout} ms` : `exit code ${String(r.exitCode)}`;
    return { ok: false, retry: false, detail: stderr ? `${why}: ${stderr}` : why };
  };
}
