// Test support: the one clock of a test. The code under test takes its time as an option (`now`); a test hands it
// T0 (or a clock it advances itself) and reads time only from that same clock. A test whose code under test runs on
// the real clock (kernel timeouts, a daemon process, a flood) reads it through wallClock(), never Date.now():
// lint rejects Date.now() and `new Date()` in tests, and wallClock() in a file that also fixes time.

/** The fixed instant of the tests and of the fixture captures: 2026-11-25 12:00:00 UTC. */
export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

/** The real time in ms, for tests whose code under test runs on the real clock too. */
export function wallClock(): number {
  return Date.now();
}
