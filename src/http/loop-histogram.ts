// The loop-duration histogram, kept without prom-client: the daemon observes every tick from its start, while the
// metrics library loads only with the first scrape. Written in the text format prom-client writes for a histogram.

export class LoopHistogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(private readonly name: string, private readonly help: string, private readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }

  observe(seconds: number): void {
    for (const [i, le] of this.buckets.entries()) if (seconds <= le) this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += seconds;
    this.count += 1;
  }

  /** The exposition block: HELP, TYPE, cumulative buckets, +Inf, sum and count (no trailing newline). */
  text(): string {
    const bucket = (le: string, n: number) => `${this.name}_bucket{le="${le}"} ${n}`;
    return [
      `# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`,
      ...this.buckets.map((le, i) => bucket(String(le), this.counts[i] ?? 0)), bucket('+Inf', this.count),
      `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`,
    ].join('\n');
  }
}
