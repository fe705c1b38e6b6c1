// What `synguard status` runs (status.ts defines the command): one sample, or two for the rates, or a live view.
import { setTimeout as sleep } from 'node:timers/promises';
import { readConfig } from '../config/read.js';
import { slotPorts } from '../detect/capacity.js';
import { buildReport } from '../detect/report.js';
import { buildSnapshot, type Snapshot } from '../detect/snapshot.js';
import { capsProven, meterFindings } from '../detect/syn-senders.js';
import { NftMeter } from '../enforce/nft-meter.js';
import type { MeterSample } from '../observe/meter.js';
import { assertLinux, takeSample } from '../observe/sample.js';
import { renderStatus } from './status-view.js';
import { daemonInfo, daemonLine } from './daemon-info.js';

/** The options status.ts defines. */
export interface StatusOptions {
  json?: boolean;
  watch?: number | true;
  top: number;
  interval: number;
  config?: string;
  stateDir?: string;
}

export async function runStatus(opts: StatusOptions): Promise<void> {
  assertLinux();
  const config = await readConfig(opts.config);
  const watch = opts.watch === true ? 2 : opts.watch;
  const meter = new NftMeter();
  // Read-only and best effort: no nft, no permission or no meter installed all mean no kernel view.
  const readMeter = (): Promise<MeterSample | null> => (watch === undefined && opts.interval === 0 ? meter.readOnce(Date.now(), config.prefixes) : meter.read(Date.now(), config.prefixes)).catch(() => null);
  const once = async (): Promise<string> => {
    let prev: Snapshot | undefined;
    let meterBefore: MeterSample | null = null;
    if (opts.interval > 0) {
      prev = buildSnapshot(await takeSample({ light: true }), config.prefixes);
      meterBefore = await readMeter();
      await sleep(opts.interval * 1000);
    }
    const [sample, meterNow, daemon] = await Promise.all([ // ss and nft run side by side
      takeSample({ slotPorts: slotPorts(config.detection.capacity) }), readMeter(), daemonInfo(opts.stateDir ?? config.defender.stateDir, config.defender.dryRun ? 'dry-run' : config.defender.backend, Date.now()),
    ]);
    const cur = buildSnapshot(sample, config.prefixes);
    // The proven limit is in force only while the daemon has an attack with real sources open (capsProven).
    const limits = capsProven(daemon.attack) ? config.detection.synRate : { ...config.detection.synRate, proven: undefined };
    const senders = meterNow ? meterFindings(meterBefore, meterNow, limits).senders : [];
    const report = buildReport(prev, cur, config.detection, opts.top, senders);
    return opts.json ? `${JSON.stringify({ ...report, daemon }, null, watch === undefined ? 2 : 0)}\n` : `${daemonLine(daemon, config.defender.interval)}\n${renderStatus(report)}`;
  };
  if (watch === undefined) {
    process.stdout.write(await once());
    meter.close();
    return;
  }
  // One controller for the whole watch: Ctrl-C or SIGTERM ends the current wait and the loop, exit code 0.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop.signal.aborted) {
      const started = Date.now();
      const text = await once();
      if (stop.signal.aborted) break;
      process.stdout.write(opts.json ? text : `\x1b[H\x1b[2J${new Date().toLocaleTimeString()}  synguard status (every ${watch} s, Ctrl-C to quit)\n\n${text}`);
      const wait = Math.max(0, watch * 1000 - (Date.now() - started));
      await sleep(wait, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    meter.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
