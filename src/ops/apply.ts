// With no daemon running, a change by hand goes to the kernel at once, through the configured backend.
import type { Config } from '../config/schema.js';
import type { Ban } from '../core/decision.js';
import { selectEnforcer } from '../enforce/select.js';
import { killSockets } from '../enforce/socket-kill.js';

/** Applies one ban or one unban now; resolves with what happened, for the operator. */
export async function applyNow(config: Config, change: { add?: Ban; remove?: string }, warn: (line: string) => void): Promise<string> {
  const { enforcer, warning } = await selectEnforcer(config.defender.backend);
  if (warning) warn(warning);
  await enforcer.init();
  const now = Date.now();
  if (change.remove !== undefined) {
    const held = await enforcer.list(now);
    if (!held.some((b) => b.value === change.remove)) return `${change.remove} was not in the kernel (${enforcer.name})`;
    enforcer.delete(change.remove);
  }
  if (change.add) enforcer.add(change.add);
  await enforcer.commit(now);
  if (change.add && config.defender.killSockets) {
    const killed = await killSockets([change.add.value]);
    return `applied to the kernel now (${enforcer.name}); ${killed} existing connection${killed === 1 ? '' : 's'} closed`;
  }
  return `applied to the kernel now (${enforcer.name})`;
}
