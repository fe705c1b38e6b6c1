// Keeps the best N items of a stream without sorting the whole stream.

/** Collects at most `limit` items, best first by `better` (negative when a ranks before b). */
export class TopN<T> {
  private readonly items: T[] = [];
  constructor(
    private readonly limit: number,
    private readonly better: (a: T, b: T) => number,
  ) {}

  /** Whether an item would make the list; call before building a costly item. */
  wouldTake(item: T): boolean {
    const last = this.items[this.items.length - 1];
    return this.items.length < this.limit || (last !== undefined && this.better(item, last) < 0);
  }

  add(item: T): void {
    if (this.limit <= 0 || !this.wouldTake(item)) return;
    let i = this.items.length;
    while (i > 0 && this.better(item, this.items[i - 1] as T) < 0) i--;
    this.items.splice(i, 0, item);
    if (this.items.length > this.limit) this.items.pop();
  }

  list(): T[] {
    return [...this.items];
  }
}
