// An open-addressing hash index from int32 keys to small non-negative numbers. Several times faster than a
// Map for the hundreds of thousands of IPv4 sources a flood brings, and it allocates nothing per key. Its entries are
// also kept in insertion order, so forEach costs the entries, not the table: a one-shot `status` sizes the table for
// 65,536 sources and finds a handful (walking the empty slots cost it 1.6 ms).

export class Int32Index {
  private keys: Int32Array;
  /** value + 1; 0 marks an empty slot. */
  private vals: Int32Array;
  private mask: number;
  /** The keys and values in insertion order. */
  private orderKeys: Int32Array;
  private orderVals: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.keys = new Int32Array(n);
    this.vals = new Int32Array(n);
    this.mask = n - 1;
    this.orderKeys = new Int32Array(n / 2);
    this.orderVals = new Int32Array(n / 2);
  }

  private slot(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) & this.mask;
    while (this.vals[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  /** The value stored for key, or -1. */
  get(key: number): number {
    return (this.vals[this.slot(key)] ?? 0) - 1;
  }

  /** The value stored for key; if absent, stores `value` and returns it. */
  getOrAdd(key: number, value: number): number {
    let i = this.slot(key);
    const found = this.vals[i] ?? 0;
    if (found !== 0) return found - 1;
    if ((this.size + 1) * 2 > this.keys.length) {
      this.grow();
      i = this.slot(key);
    }
    this.keys[i] = key;
    this.vals[i] = value + 1;
    this.orderKeys[this.size] = key;
    this.orderVals[this.size] = value;
    this.size++;
    return value;
  }

  /** In insertion order. */
  forEach(fn: (key: number, value: number) => void): void {
    const { orderKeys, orderVals, size } = this;
    for (let i = 0; i < size; i++) fn(orderKeys[i] ?? 0, orderVals[i] ?? 0);
  }

  private grow(): void {
    const { keys, vals } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.vals = new Int32Array(vals.length * 2);
    this.mask = this.keys.length - 1;
    const orderKeys = new Int32Array(this.keys.length / 2), orderVals = new Int32Array(this.keys.length / 2);
    orderKeys.set(this.orderKeys);
    orderVals.set(this.orderVals);
    this.orderKeys = orderKeys;
    this.orderVals = orderVals;
    for (let i = 0; i < vals.length; i++) {
      const v = vals[i] ?? 0;
      if (v !== 0) {
        const j = this.slot(keys[i] ?? 0);
        this.keys[j] = keys[i] ?? 0;
        this.vals[j] = v;
      }
    }
  }
}
