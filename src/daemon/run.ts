// `synguard run`: wires the readers, the store, the policy and a backend into the defender, then loops until
// SIGTERM/SIGINT. SIGHUP reloads the config (validated first; the old one stays on error).
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../config/read.js';
import type { Config } from '../config/schema.js';
import { policyFor, type AllowList } from '../decide/index.js';
import { currentAllowList } from '../ops/allow.js';
import { selectEnforcer } from '../enforce/select.js';
import { DryRunEnforcer } from '../enforce/dry-run.js';
import type { Enforcer } from '../enforce/types.js';
import { killSockets } from '../enforce/socket-kill.js';
import { startMeter } from './meter.js';
import { assertLinux, cachedListeners, takeSample } from '../observe/sample.js';
import { slotPorts } from '../detect/capacity.js';
import { Defender } from './defender.js';
import { TableReuse } from './table-reuse.js';
import { openGuarded } from './store-guard.js';
import { clockStep } from './clock-step.js';
import { looseModes } from '../store/index.js';
import { eventBus } from '../bus/events.js';
import { applyHardening, restoreHardening } from '../ops/hardening.js';
import { jsonLog, type Log } from '../core/log.js';
import { watchOutput } from '../core/teardown.js';
import { claimPidFile, markTick } from '../store/pidfile.js';
import { loadToken, startHttp } from '../http/index.js';
import { tokenPath } from '../http/token.js';
import { startUpstream } from '../upstream/index.js';
import { startNotifier } from '../notify/index.js';
import { reportsDir, startReports } from '../report/index.js';
import { startFleet } from '../fleet/worker.js';

export interface RunOptions {
  readonly configPath?: string;
  readonly dryRun?: boolean;
  readonly stateDir?: string;
  /** Stop after this many ticks (tests); forever when absent. */
  readonly ticks?: number;
}

const ALLOW_REFRESH_MS = 30_000;
/** The gap between ticks while a source climbs towards a ban threshold. */
const FAST_TICK_S = 0.2;

function allowList(config: Config, log: Log, sshPeers?: () => string[] | null): Promise<AllowList> {
  return currentAllowList(config, (warning) => log('warn', 'allow-list', { warning }), sshPeers);
}

export async function runDaemon(opts: RunOptions, log: Log = jsonLog()): Promise<void> {
  assertLinux();
  watchOutput({ outlive: true }); // `synguard run | tee`, tee gone: its lines are lost, not the defence
  let config = await readConfig(opts.configPath); // no config file: the built-in defaults without parsing YAML
  const stateDir = opts.stateDir ?? config.defender.stateDir;
  const dryRun = opts.dryRun === true || config.defender.dryRun;
  const store = openGuarded(stateDir, { now: Date.now, log });
  const release = claimPidFile(stateDir);
  // Signals are caught from here on: a SIGHUP during start-up (a reload right after a start) is a reload once the
  // loop runs, not the default action, which ends the process.
  let stop = false;
  let reload = false;
  let wake: () => void = () => undefined; // an API ban or unban ends the wait, so it reaches the kernel at once
  const onStop = (signal: string) => () => { log('info', 'stopping', { signal }); stop = true; wake(); };
  const handlers = { SIGTERM: onStop('SIGTERM'), SIGINT: onStop('SIGINT'), SIGHUP: () => { reload = true; wake(); } };
  for (const [sig, fn] of Object.entries(handlers)) process.on(sig, fn);
  try {
    let enforcer: Enforcer = new DryRunEnforcer(() => undefined); // its decisions are logged and stored flagged dryRun
    if (!dryRun) {
      const selected = await selectEnforcer(config.defender.backend);
      if (selected.warning) log('warn', 'backend-fallback', { warning: selected.warning });
      enforcer = selected.enforcer;
    }
    const listeners = cachedListeners(10_000);
    // An idle tick reads the counters, not the socket table; a quiet or steady one walks it at least every 5 s
    // (table-reuse.ts).
    const table = new TableReuse(10_000, 5_000, config.detection.established.clear);
    let sourcesHint = 1024;
    let walkedPeers: string[] | null = null; // the SSH peers of the last walk of the table
    let allow = await allowList(config, log);
    const meter = await startMeter(config, { enforcer, dryRun, log, allow: allow.entries.map((e) => e.value) });
    let allowAt = Date.now();
    let decide = policyFor(allow, config);
    // The defender's events fan out to the dashboard, notifications and attack reports.
    const events = eventBus((err, type) => log('error', 'event-listener-failed', { event: type, error: (err as Error).message }));
    const reports = startReports({ store, dir: reportsDir(store.dir), log, now: Date.now }); // closes attacks a crash left open
    const notifier = startNotifier(config.notify, { log, now: Date.now, reportFor: (id) => reports.headline(id) });
    events.on(reports.handle); // before the notifier: attack-end messages carry the report's figures
    events.on(notifier.handle);
    const defender = new Defender(config, {
      store, enforcer, log, now: Date.now,
      sample: async (word) => {
        const raw = await takeSample({ listeners, sources: sourcesHint, table, word, sshPorts: config.defender.sshPorts, slotPorts: slotPorts(config.detection.capacity) });
        sourcesHint = Math.max(1024, Math.ceil(raw.tally.sourceCount * 1.25)); // size the next tally from this one
        walkedPeers = raw.tally.sshPeers();
        return raw;
      },
      decide: (input) => decide({ ...input, recentAutoBans: store.decisions.autoCreatedSince(input.now - 60_000, dryRun) }),
      killSockets: dryRun ? null : (values, except) => killSockets(values, { except }),
      harden: dryRun ? null : (mode, now) => (mode === 'attack' ? applyHardening(store, config.defender.hardening, now) : restoreHardening(store)),
      emit: (event) => events.emit(event),
      meter,
    });
    for (const warning of looseModes(stateDir)) log('warn', 'file-mode', { warning });
    log('info', 'start', { pid: process.pid, stateDir, backend: enforcer.name, interval: config.defender.interval, allowList: allow.entries.length });
    await defender.start();
    // Upstream escalation over BGP (docs/upstream.md): a listener on the events; ExaBGP trouble is logged, never fatal.
    let upstream = startUpstream(config, { store, log, events, stateDir, dryRun });
    let token = loadToken(stateDir); // read again on SIGHUP: `synguard token --rotate` sends one
    const http = config.http.enabled
      ? await startHttp({
          status: () => defender.statusReport(), upstream: () => upstream?.controller.status() ?? null, events, store, allow: () => allow, get config() { return config; }, get token() { return token; }, now: Date.now,
          onChange: () => wake(), log: (line) => log('info', 'http', { line }),
        }, config.http.listen)
      : null;
    if (http) log(http.warning ? 'warn' : 'info', 'http', { listen: http.address, ...(http.warning ? { warning: http.warning } : {}) });
    // The fleet (docs/fleet.md): publish bans to a CrowdSec Local API and enforce its decisions; never fatal.
    const fleet = config.crowdsec ? startFleet(config.crowdsec, { stateDir, log, now: Date.now, refuse: (v) => allow.why(v), onChange: () => wake() }) : null;
    if (fleet) events.on((e) => { if (e.type === 'bans') fleet.poke(); });

    let clockOffset = Date.now() - performance.now();
    try {
      for (let n = 0; !stop && (opts.ticks === undefined || n < opts.ticks); n++) {
        const started = Date.now();
        if (reload) {
          reload = false;
          try {
            const next = loadToken(stateDir);
            if (next !== token) log('info', 'token-reloaded', { path: tokenPath(stateDir) });
            token = next;
          } catch (err) {
            log('error', 'token-reload-failed', { error: (err as Error).message, kept: 'the previous token' });
          }
          try {
            const previous = config;
            config = await readConfig(opts.configPath); // yaml and zod load only for a file with settings in it
            defender.reconfigure(config);
            await meter.reconfigure(config, allow.entries.map((e) => e.value));
            notifier.reconfigure(config.notify);
            // A new upstream section means a new ExaBGP (peer, AS, networks): the session restarts and re-announces
            // what is due from the store. An unchanged one is left alone, so a reload never flaps the routes.
            if (JSON.stringify(previous.upstream) !== JSON.stringify(config.upstream)) {
              await upstream?.stop();
              upstream = startUpstream(config, { store, log, events, stateDir, dryRun });
              log('info', 'upstream-reloaded', { enabled: config.upstream.enabled });
            }
            allowAt = 0;
            walkedPeers = null; // the SSH ports may have changed: the refresh reads the table for them
            log('info', 'reload', { config: opts.configPath ?? 'default' });
          } catch (err) {
            log('error', 'reload-failed', { error: (err as Error).message, kept: 'the previous config' });
          }
        }
        if (started - allowAt >= ALLOW_REFRESH_MS) {
          // The SSH sessions from the last walk of the table (at most a few seconds old), not a walk of its own: on a
          // large table that walk was 16 % of the daemon's time (docs/reliability.md).
          allow = await allowList(config, log, () => walkedPeers);
          decide = policyFor(allow, config);
          allowAt = started;
          await meter.allow(allow.entries.map((e) => e.value));
        }
        const clock = clockStep(clockOffset, Date.now(), performance.now());
        clockOffset = clock.offset;
        if (clock.step !== 0) {
          log('warn', 'clock-step', { seconds: Math.round(clock.step / 1000), action: 'the kernel is read again and reconciled with the store' });
          await defender.start().catch((err: unknown) => log('error', 'reconcile-failed', { error: (err as Error).message, retry: 'next step' }));
        }
        try {
          await defender.tick();
          markTick(stateDir, Date.now());
        } catch (err) {
          log('error', 'tick-failed', { error: (err as Error).message });
        }
        http?.observeLoop((Date.now() - started) / 1000);
        // A source climbing towards a ban threshold is looked at again sooner (never slower than the interval).
        const interval = defender.urgent ? Math.min(config.defender.interval, FAST_TICK_S) : config.defender.interval;
        const wait = interval * 1000 - (Date.now() - started);
        if (wait > 0 && !stop) {
          const pause = new AbortController();
          wake = () => pause.abort();
          await sleep(wait, undefined, { signal: pause.signal }).catch(() => undefined);
        }
      }
    } finally {
      await http?.close();
      await fleet?.stop();
      await upstream?.stop();
      await reports.stop();
      await notifier.stop(3000); // the last messages get a short deadline
      meter.close(); // the meter stays in the kernel, like the bans
    }
    log('info', 'stop', { note: 'bans stay in the kernel until they expire; `synguard off` removes them' });
  } finally {
    for (const [sig, fn] of Object.entries(handlers)) process.off(sig, fn);
    release();
    store.close();
  }
}
