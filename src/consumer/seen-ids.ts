// The idempotence guard: the most recent N event ids, in arrival order. A broker may redeliver what
// was not yet acked; an id in here was already counted and is skipped.
export class SeenIds {
  private readonly ids = new Set<string>();
  constructor(private readonly capacity: number, initial: readonly string[] = []) {
    for (const id of initial.slice(-capacity)) this.ids.add(id);
  }
  has(id: string): boolean { return this.ids.has(id); }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }
  toArray(): string[] { return [...this.ids]; }
  get size(): number { return this.ids.size; }
}
