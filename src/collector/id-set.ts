// A compact set of event ids for dedupe: 64-bit fingerprints in an open-addressing table of typed
// arrays (16 bytes a slot) instead of a Set of strings (~150 bytes an id), so millions of retained
// ids cost tens of MB. Each entry carries a position (a log offset, or 1 for "no position"), and
// `expireBefore(p)` forgets entries older than p (retention) in one compacting pass.
//
// A fingerprint match is taken as "same id". With n ids held, a new id falsely matches with
// probability ≈ n / 2^64 (3 million ids: 1.6e-13 per event) — far below the disk's own error rate.
// The hash is seeded per process, so ids cannot be crafted to pile up in one probe chain.
import { randomBytes } from 'node:crypto';

const MAX_LOAD = 0.7;
const seeds = randomBytes(8);
const SEED1 = seeds.readUInt32LE(0);
const SEED2 = seeds.readUInt32LE(4);

let h1 = 0;
let h2 = 0;
/** cyrb53's mixing, keeping both 32-bit lanes: sets h1, h2 (no allocation on the hot path). */
function fingerprint(id: string): void {
  let a = 0xdeadbeef ^ SEED1;
  let b = 0x41c6ce57 ^ SEED2;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    a = Math.imul(a ^ ch, 2654435761);
    b = Math.imul(b ^ ch, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  h1 = a >>> 0;
  h2 = b >>> 0;
}

export class IdSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** position + 1 of each slot's entry; 0 = empty slot. */
  private at: Float64Array;
  private mask: number;
  private used = 0;
  private oldest = 0;

  constructor(expected = 1024) {
    let slots = 1024;
    while (slots * MAX_LOAD < expected) slots *= 2;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.at = new Float64Array(slots);
    this.mask = slots - 1;
  }

  /** Entries held (expired ones included until the next compaction). */
  get size(): number {
    return this.used;
  }

  /** Bytes of the table. */
  get bytes(): number {
    return this.at.length * 16;
  }

  has(id: string): boolean {
    fingerprint(id);
    for (let i = h1 & this.mask; ; i = (i + 1) & this.mask) {
      const at = this.at[i]!;
      if (at === 0) return false;
      if (this.hi[i] === h1 && this.lo[i] === h2 && at - 1 >= this.oldest) return true;
    }
  }

  /** Adds an id with its position (default 0). */
  add(id: string, position = 0): void {
    if ((this.used + 1) > this.at.length * MAX_LOAD) this.rebuild(this.at.length * 2);
    fingerprint(id);
    this.put(h1, h2, position + 1);
  }

  /** Forgets every entry whose position is below `position` (the oldest retained log offset). */
  expireBefore(position: number): void {
    if (position <= this.oldest) return;
    this.oldest = position;
    this.rebuild(this.at.length);
  }

  private put(hi: number, lo: number, at: number): void {
    for (let i = hi & this.mask; ; i = (i + 1) & this.mask) {
      const current = this.at[i]!;
      if (current === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.at[i] = at;
        this.used++;
        return;
      }
      if (this.hi[i] === hi && this.lo[i] === lo) {
        this.at[i] = Math.max(current, at);
        return;
      }
    }
  }

  /** Re-inserts the live entries into a table of `slots` slots (growth, or dropping expired ones). */
  private rebuild(slots: number): void {
    const { hi, lo, at } = this;
    const live = this.countLive();
    while (slots > 1024 && live < slots * MAX_LOAD * 0.25) slots /= 2;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.at = new Float64Array(slots);
    this.mask = slots - 1;
    this.used = 0;
    for (let i = 0; i < at.length; i++) {
      const entry = at[i]!;
      if (entry !== 0 && entry - 1 >= this.oldest) this.put(hi[i]!, lo[i]!, entry);
    }
  }

  private countLive(): number {
    let live = 0;
    for (let i = 0; i < this.at.length; i++) if (this.at[i]! !== 0 && this.at[i]! - 1 >= this.oldest) live++;
    return live;
  }
}
