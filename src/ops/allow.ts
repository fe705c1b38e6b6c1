// The allow-list as the daemon and the CLI build it: loopback, own addresses, gateways, SSH peers, configured CIDRs.
import type { Config } from '../config/schema.js';
import { buildAllowList, type AllowList } from '../decide/index.js';
import { gatherAllowInputs } from '../observe/allow-inputs.js';

/**
 * Reads the inputs (a reader that fails becomes a warning passed to `warn`) and builds the list. `sshPeers`: the SSH
 * sessions a recent walk of the table saw (the daemon's), so the table is not walked again for them.
 */
export async function currentAllowList(config: Config, warn: (line: string) => void, sshPeers?: () => string[] | null): Promise<AllowList> {
  const inputs = await gatherAllowInputs({ sshPorts: config.defender.sshPorts, ...(sshPeers ? { sshPeers } : {}) });
  for (const w of inputs.warnings) warn(w);
  return buildAllowList({ ...inputs, configured: config.defender.allowList });
}
