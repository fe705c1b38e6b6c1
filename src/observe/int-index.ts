// An open-addressing hash index from int32 keys to small non-negative numbers. Several times faster than a
// Map for the hundreds of thousands of IPv4 sources a flood brings, and it allocates nothing per key.

export class Int32Index {
  private keys: Int32Array;
  /** value + 1; 0 marks an empty slot. */
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.keys = new Int32Array(n);
    this.vals = new Int32Array(n);
    this.mask = n - 1;
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
    this.size++;
    return value;
  }

  forEach(fn: (key: number, value: number) => void): void {
    for (let i = 0; i < this.vals.length; i++) {
      const v = this.vals[i] ?? 0;
      if (v !== 0) fn(this.keys[i] ?? 0, v - 1);
    }
  }

  private grow(): void {
    const { keys, vals } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.vals = new Int32Array(vals.length * 2);
    this.mask = this.keys.length - 1;
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
