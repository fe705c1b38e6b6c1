// `synguard off`: every trace of synguard out of the kernel (each backend's objects), the sysctls it raised restored,
// the active bans ended in the store. Refused while a daemon runs on the state directory: it would re-apply them.
import { SynguardError } from '../core/errors.js';
import { createEnforcer } from '../enforce/select.js';
import type { BackendName } from '../enforce/types.js';
import type { Store } from '../store/index.js';
import { runningDaemon } from '../store/pidfile.js';
import { restoreHardening } from './hardening.js';

const BACKENDS: readonly BackendName[] = ['nftables', 'route', 'ipset'];

/** Resolves with one line per thing done. */
export async function off(store: Store, stateDir: string, now: number): Promise<string[]> {
  const pid = runningDaemon(stateDir);
  if (pid !== null) throw new SynguardError('usage', `the daemon (pid ${pid}) is running and would re-apply its bans: stop it first (systemctl stop synguard, or kill ${pid})`);
  const done: string[] = [];
  for (const name of BACKENDS) {
    const e = createEnforcer(name);
    if ((await e.check()).ok) {
      await e.shutdown();
      done.push(`${name}: removed`);
    }
  }
  const restored = await restoreHardening(store);
  let ended = 0;
  for (const d of store.decisions.active(now)) ended += store.decisions.endValue(d.value, { now, by: 'synguard off', kind: 'unban' }).length;
  return [...done, restored.length ? `sysctls restored: ${restored.join(', ')}` : 'sysctls: nothing to restore', `${ended} active ban(s) ended in the store`];
}
