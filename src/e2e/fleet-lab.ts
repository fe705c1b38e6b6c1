// Test support for the fleet's end-to-end test: five lab namespaces on one bridge (a LAPI host, synguard hosts A,
// bouncer hosts B and C, a flooder X), Debian's real crowdsec run alone (`-no-cs`) with its config, data and SQLite
// database under a temp dir, and its real firewall bouncer with its own config. Never linked to the root namespace;
// torn down always (processes killed with their namespace).
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdirSync, copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { exec, execOrThrow, spawnLong, type Spawned } from '../core/exec.js';
import { addNs, deleteNs, ipBatch, nftApply } from '../lab/netns.js';
import { wallClock } from '../testing/clock.js';
import { jsonLines } from '../testing/json-lines.js';
import { tempDir } from '../testing/temp.js';

export type Role = 'lapi' | 'a' | 'b' | 'c' | 'x';
const ROLES: readonly Role[] = ['lapi', 'a', 'b', 'c', 'x'];
const OCTET: Readonly<Record<Role, number>> = { lapi: 1, a: 2, b: 3, c: 4, x: 5 };

export interface Host { readonly ns: string; readonly v4: string; readonly v6: string }
export type FleetLab = Readonly<Record<Role, Host>> & { readonly id: string };

/** The attacker never answers SYN-ACKs with RST, so its half-open connections stay (as in src/lab/topology.ts). */
const NO_RST = `table inet sgf_attacker {
  chain out { type filter hook output priority 0; policy accept; tcp flags & rst == rst counter drop; }
}
`;

export async function withFleetLab<T>(fn: (lab: FleetLab) => Promise<T>): Promise<T> {
  const id = randomBytes(3).toString('hex');
  const sw = `sgf-${id}-sw`;
  const hosts = Object.fromEntries(ROLES.map((r) => [r, { ns: `sgf-${id}-${r}`, v4: `198.18.200.${OCTET[r]}`, v6: `2001:db8:200::${OCTET[r]}` }])) as Record<Role, Host>;
  const all = [sw, ...ROLES.map((r) => hosts[r].ns)];
  try {
    for (const ns of all) await addNs(ns);
    await ipBatch(sw, ['link add br0 type bridge', 'link set br0 up', ...ROLES.flatMap((r) => [
      `link add sgf${id}${r} type veth peer name eth0 netns ${hosts[r].ns}`, `link set sgf${id}${r} master br0`, `link set sgf${id}${r} up`])]);
    for (const r of ROLES) {
      await ipBatch(hosts[r].ns, ['link set lo up', 'link set eth0 up', `addr add ${hosts[r].v4}/24 dev eth0`, `addr add ${hosts[r].v6}/64 dev eth0 nodad`]);
    }
    await nftApply(hosts.x.ns, NO_RST);
    return await fn({ id, ...hosts });
  } finally {
    for (const ns of all.reverse()) {
      const err = await deleteNs(ns);
      if (err) console.error(err);
    }
  }
}

export interface Lapi {
  readonly url: string;
  readonly dir: string;
  /** cscli against this LAPI's config, inside its namespace; stdout. */
  cscli(...args: string[]): Promise<string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Active decisions in the LAPI's own database (value → count), by origin. */
  decisions(origin: string): Map<string, number>;
  /** Every alert ever received with this scenario prefix (value → count). */
  alerts(scenarioPrefix: string): Map<string, number>;
}

/** Writes a LAPI config under a temp dir (no online API, no engine), registers machine and bouncer keys. */
export async function setupLapi(host: Host, machines: Record<string, string>, bouncers: Record<string, string>): Promise<Lapi> {
  const dir = tempDir('sg-lapi-');
  const url = `http://${host.v4}:8080/`;
  for (const sub of ['data', 'hub', 'notifications']) mkdirSync(join(dir, sub), { recursive: true });
  const cfg = join(dir, 'config.yaml');
  writeFileSync(cfg, `common: { daemonize: false, log_media: stdout, log_level: info }
config_paths:
  config_dir: ${dir}/
  data_dir: ${dir}/data/
  simulation_path: ${dir}/simulation.yaml
  hub_dir: ${dir}/hub/
  index_path: ${dir}/hub/.index.json
  notification_dir: ${dir}/notifications/
  plugin_dir: /usr/lib/crowdsec/plugins/
crowdsec_service: { acquisition_path: ${dir}/acquis.yaml }
cscli: { output: json }
db_config: { type: sqlite, use_wal: true, db_path: ${dir}/data/crowdsec.db, flush: { max_items: 100000, max_age: 7d } }
api:
  client: { credentials_path: ${dir}/local_api_credentials.yaml }
  server: { log_level: info, listen_uri: "${host.v4}:8080", profiles_path: ${dir}/profiles.yaml, trusted_ips: [127.0.0.1] }
prometheus: { enabled: false }
`);
  writeFileSync(join(dir, 'simulation.yaml'), 'simulation: false\n');
  writeFileSync(join(dir, 'acquis.yaml'), '');
  if (existsSync('/etc/crowdsec/profiles.yaml')) copyFileSync('/etc/crowdsec/profiles.yaml', join(dir, 'profiles.yaml'));
  else writeFileSync(join(dir, 'profiles.yaml'), 'name: default_ip_remediation\nfilters: ["Alert.Remediation == true && Alert.GetScope() == \'Ip\'"]\ndecisions: [{ type: ban, duration: 4h }]\non_success: break\n');
  const cscli = (...args: string[]) => execOrThrow('cscli', ['-c', cfg, ...args], { netns: host.ns, timeoutMs: 30_000 });
  await cscli('machines', 'add', 'cscli', '--password', 'cscli-password-1', '-f', join(dir, 'local_api_credentials.yaml'), '--url', url);
  for (const [name, password] of Object.entries(machines)) await cscli('machines', 'add', name, '--password', password, '-f', '/dev/null');
  for (const [name, key] of Object.entries(bouncers)) await cscli('bouncers', 'add', name, '-k', key);
  let running: (Spawned & ReturnType<typeof jsonLines>) | null = null;
  const db = () => new Database(join(dir, 'data', 'crowdsec.db'), { readonly: true, fileMustExist: true });
  const count = (sql: string, arg: string | number) => {
    const d = db();
    try {
      return new Map(d.prepare<[string | number], { value: string; n: number }>(sql).all(arg).map((r) => [r.value, r.n]));
    } finally {
      d.close();
    }
  };
  return {
    url, dir, cscli,
    async start() {
      const spawned = spawnLong('crowdsec', ['-c', cfg, '-no-cs'], { netns: host.ns });
      let out = '';
      spawned.child.stdout?.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-4000); });
      spawned.child.stderr?.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-4000); });
      running = { ...spawned, ...jsonLines(spawned.child) };
      for (const t0 = wallClock(); !out.includes('Local API listening'); await sleep(100)) {
        if (wallClock() - t0 > 20_000 || spawned.child.exitCode !== null) throw new Error(`crowdsec did not start: ${out}`);
      }
    },
    async stop() {
      if (!running) return;
      running.child.kill('SIGTERM');
      await running.exited;
      running = null;
    },
    decisions: (origin) => count(`SELECT value, count(*) AS n FROM decisions WHERE origin = ? AND until > strftime('%Y-%m-%d %H:%M:%f', 'now') GROUP BY value`, origin),
    alerts: (prefix) => count("SELECT source_value AS value, count(*) AS n FROM alerts WHERE scenario LIKE ? || '%' GROUP BY source_value", prefix),
  };
}

/** crowdsec-firewall-bouncer (nftables mode) in `host`'s namespace, polling `apiUrl` with `key`. */
export function startBouncer(host: Host, apiUrl: string, key: string, every = '10s'): Spawned & { output(): string } {
  const dir = tempDir('sg-bouncer-');
  const cfg = join(dir, 'bouncer.yaml');
  writeFileSync(cfg, `mode: nftables
pid_dir: ${dir}/
update_frequency: ${every}
daemonize: false
log_mode: stdout
log_level: info
api_url: ${apiUrl}
api_key: ${key}
disable_ipv6: false
deny_action: DROP
deny_log: false
supported_decisions_types: [ban]
nftables:
  ipv4: { enabled: true, set-only: false, table: crowdsec, chain: crowdsec-chain }
  ipv6: { enabled: true, set-only: false, table: crowdsec6, chain: crowdsec6-chain }
prometheus: { enabled: false, listen_addr: 127.0.0.1, listen_port: 60601 }
`);
  const spawned = spawnLong('crowdsec-firewall-bouncer', ['-c', cfg], { netns: host.ns });
  let out = '';
  const keep = (d: Buffer) => { out = (out + d.toString()).slice(-8000); };
  spawned.child.stdout?.on('data', keep);
  spawned.child.stderr?.on('data', keep);
  return { ...spawned, output: () => out };
}

/** The addresses in the bouncer's nft sets inside `host` (both families). */
export async function bouncerSet(host: Host): Promise<string> {
  const v4 = await exec('nft', ['list', 'set', 'ip', 'crowdsec', 'crowdsec-blacklists'], { netns: host.ns });
  const v6 = await exec('nft', ['list', 'set', 'ip6', 'crowdsec6', 'crowdsec6-blacklists'], { netns: host.ns });
  return `${v4.stdout}\n${v6.stdout}`;
}

/** Polls `check` every 200 ms until it is true; returns the ms it took, or throws naming `what` after `ms`. */
export async function within(ms: number, what: string, check: () => boolean | Promise<boolean>): Promise<number> {
  const t0 = wallClock();
  for (;;) {
    if (await check()) return wallClock() - t0;
    if (wallClock() - t0 > ms) throw new Error(`${what}: not within ${ms / 1000} s`);
    await sleep(200);
  }
}
