// A bounded FIFO: when full, the oldest item makes room and is handed back so the caller can log it.

export class BoundedQueue<T> {
  private items: T[] = [];

  constructor(private readonly limit: number) {}

  get length(): number {
    return this.items.length;
  }

  /** Adds `item`; returns the item dropped to make room, if any. */
  push(item: T): T | undefined {
    this.items.push(item);
    return this.items.length > this.limit ? this.items.shift() : undefined;
  }

  shift(): T | undefined {
    return this.items.shift();
  }

  /** Empties the queue and returns what it held. */
  clear(): T[] {
    const out = this.items;
    this.items = [];
    return out;
  }
}
