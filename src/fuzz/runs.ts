// Fuzz targets run in two sizes: a CI slice inside the normal `node --test` run (a few thousand cases, seconds), and
// `npm run fuzz`, which sets SYNGUARD_FUZZ_RUNS (10^5 cases per target) and reports the counts for docs/reliability.md.
import fc from 'fast-check';
import { wallClock } from '../testing/clock.js';

/** Cases for one property: SYNGUARD_FUZZ_RUNS when set, else the CI slice. */
export function runs(ciSlice: number): number {
  const asked = Number(process.env['SYNGUARD_FUZZ_RUNS'] ?? '');
  return Number.isInteger(asked) && asked > 0 ? asked : ciSlice;
}

/** fc.assert with the run count, a 60 s ceiling for the CI slice, and a line saying how many cases ran. */
export function check<T>(target: string, property: fc.IProperty<T>, ciSlice = 2000): void {
  const numRuns = runs(ciSlice);
  const started = wallClock();
  fc.assert(property, { numRuns, ...(numRuns === ciSlice ? { interruptAfterTimeLimit: 60_000 } : {}) });
  console.log(`# fuzz ${target}: ${numRuns} cases, 0 failures, ${((wallClock() - started) / 1000).toFixed(1)} s`);
}

/** Same for async properties; `examples` run first, whatever the random cases reach. */
export async function checkAsync<T>(target: string, property: fc.IAsyncProperty<T>, ciSlice = 500, examples: T[] = []): Promise<void> {
  const numRuns = runs(ciSlice);
  const started = wallClock();
  await fc.assert(property, { numRuns, examples, ...(numRuns === ciSlice ? { interruptAfterTimeLimit: 60_000 } : {}) });
  console.log(`# fuzz ${target}: ${numRuns} cases, 0 failures, ${((wallClock() - started) / 1000).toFixed(1)} s`);
}
