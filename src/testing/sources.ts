// Test support: the per-source summary the defender computes each tick (default config, top 10), for tick events.
import { configFrom } from '../config/load.js';
import type { Snapshot } from '../detect/snapshot.js';
import { summarizeSources, type SourceSummary } from '../detect/sources.js';
import { defenderSourceOptions } from '../detect/tracker.js';

const DEFAULTS = configFrom({});

export function defenderSources(cur: Snapshot): SourceSummary {
  return summarizeSources(cur, defenderSourceOptions(DEFAULTS.detection));
}
