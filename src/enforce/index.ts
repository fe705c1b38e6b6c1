// Public surface of the enforcement backends (re-exports only).
export type { BackendName, CheckResult, CommitResult, Enforcer, KernelBan } from './types.js';
export { NftablesEnforcer } from './nftables.js';
export { RouteEnforcer } from './route.js';
export type { RouteOptions } from './route.js';
export { RT_PROTO, type RouteType } from './route-script.js';
export { IpsetEnforcer } from './ipset.js';
export { DryRunEnforcer } from './dry-run.js';
export { createEnforcer, selectEnforcer, type SelectOptions, type Selected } from './select.js';
export { killSockets, type SocketKillOptions } from './socket-kill.js';
export { NftMeter, type MeterOptions } from './nft-meter.js';
export { DEFAULT_TARGETS, SYSCTLS, planHardening, readSysctls, writeSysctls, type HardeningTargets, type SysctlChange, type SysctlName } from './sysctl.js';
export { MAX_TIMEOUT_MS, TABLE } from './nft-script.js';
