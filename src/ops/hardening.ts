// Raising the SYN defences under attack and restoring the originals when calm. The originals are stored before
// anything is changed, so a crash in between loses nothing.
import type { DefenderConfig } from '../config/schema.js';
import { planHardening, writeSysctls, SYSCTLS, type SysctlChange, type HardenedSysctl } from '../enforce/sysctl.js';
import { readSysctls } from '../observe/sysctls.js';
import type { Store } from '../store/index.js';

type Hardening = DefenderConfig['hardening'];

/** The changes hardening would make now (nothing changed yet). */
export function hardeningPlan(cfg: Hardening): SysctlChange[] {
  const current = readSysctls();
  return planHardening(
    { [SYSCTLS.syncookies]: current['net.ipv4.tcp_syncookies'], [SYSCTLS.maxSynBacklog]: current['net.ipv4.tcp_max_syn_backlog'],
      [SYSCTLS.somaxconn]: current['net.core.somaxconn'], [SYSCTLS.synackRetries]: current['net.ipv4.tcp_synack_retries'] },
    { syncookies: 1, maxSynBacklog: cfg.tcpMaxSynBacklog, somaxconn: cfg.somaxconn, synackRetries: cfg.synackRetries },
  );
}

const line = (c: SysctlChange): string => `${c.name} ${c.from} -> ${c.to}`;

/** Records the originals (first change wins), then applies the plan. */
export async function applyHardening(store: Store, cfg: Hardening, now: number): Promise<string[]> {
  const changes = hardeningPlan(cfg);
  store.transaction(() => { for (const c of changes) store.sysctls.saveOnce(c.name, String(c.from), now); });
  await writeSysctls(changes);
  return changes.map(line);
}

/** Writes the recorded originals back and forgets them. */
export async function restoreHardening(store: Store): Promise<string[]> {
  const originals = store.sysctls.originals();
  if (originals.size === 0) return [];
  const current = readSysctls() as Record<string, number | null>;
  const changes: SysctlChange[] = [...originals].map(([name, value]) => ({ name: name as HardenedSysctl, from: current[name] ?? Number(value), to: Number(value) }));
  await writeSysctls(changes, { restoring: true });
  store.sysctls.clear();
  return changes.map(line);
}
