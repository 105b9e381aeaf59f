// Every alert raised, appended to a JSON-lines file and fsynced before it is sent. Appends are
// group-committed: the lines queued while one write is on its way go out together in the next
// write, with one fdatasync (a flood of alerts costs one sync per batch, not one per alert). On start
// the file is read back: an event that already raised an alert never raises another (even when the
// consumer replays it after a crash), and alerts whose webhook delivery did not finish are resent.
// Later alert-worthy events of the same visitor can be folded into their alert: one angry
// customer, one alert.
// Bounded: the newest `keep` alerts (up to `keep` + a quarter while a compaction is due) are kept in
// memory and in the file; older ones are dropped (counted, not listed) once a consumer checkpoint
// covers their events — see `release`. An event whose alert was dropped is never replayed: the
// checkpoint's position (embedded log) or its acks and seen ids (brokers) are past it, so "each
// event alerts once" holds with a bounded file. A fold is a count: the ids of folded events are
// kept (in memory and as `fold` lines) only until a checkpoint covers them, after which they can
// never be replayed; a compaction then writes one `folds` line per alert: the count and the ids of
// the last FOLD_IDS_KEPT folds (so a consumer replaying a lost checkpoint into the same log still
// recognises a short burst).
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseStateJson } from '../records';
import type { Alert } from './evaluate';

/** `off`: no webhook configured; `stale`: the feedback was older than the notifier's send window. */
export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'off' | 'stale';
export interface AlertRecord {
  alert: Alert;
  raisedAt: string;
  delivery: DeliveryState;
  attempts: number;
  error?: string;
  /** How many later events of the same visitor were folded into this alert (no alert of their own). */
  folded: number;
}
/** Internal: the order in which records were raised or loaded, for `mark` / `release`. */
interface Held extends AlertRecord { seq: number; lastFoldIds: string[] }
/** Ids of the newest folds kept per alert whether or not a checkpoint covers them. */
const FOLD_IDS_KEPT = 20;

type Line =
  | { kind: 'meta'; dropped: number; droppedByProject: Record<string, number> }
  | { kind: 'alert'; alert: Alert; raisedAt: string; delivery: DeliveryState; attempts?: number; error?: string }
  | { kind: 'delivery'; id: string; delivery: DeliveryState; attempts: number; error?: string }
  /** One event folded into alert `id` (its id is kept until a checkpoint covers it). */
  | { kind: 'fold'; id: string; eventId: string }
  /** Written by a compaction: `count` folds whose events are past every checkpoint. */
  | { kind: 'folds'; id: string; count: number; ids?: string[] };
/** A folded event whose id still matters: a replay (crash before the checkpoint) must not fold it twice. */
interface RecentFold { eventId: string; recordId: string; seq: number }

export interface AlertStore {
  /** True when this event raised an alert or was folded into one (of the folds: those no checkpoint covers yet, and each alert's newest). */
  has(id: string): boolean;
  /** The newest alert of a visitor. */
  latestFor(anonymousId: string): AlertRecord | undefined;
  /**
   * Records that event `eventId` joined `record` instead of raising its own alert. Counted at once
   * (`has`, `folded`); the promise resolves once it is on disk.
   */
  fold(record: AlertRecord, eventId: string): Promise<void>;
  /**
   * A new alert, held at once (`has`, `latestFor` and `list` see it when this returns); the promise
   * resolves with the record once it is on disk, or with null when this event already has one.
   */
  add(alert: Alert, delivery: DeliveryState): Promise<AlertRecord | null>;
  setDelivery(id: string, delivery: DeliveryState, attempts: number, error?: string): Promise<void>;
  /** Newest first; only alerts of `project` when given. */
  list(n: number, project?: string): AlertRecord[];
  pending(): AlertRecord[];
  /** Every alert ever raised (also those dropped by the bound); of `project` when given. */
  count(project?: string): number;
  /** Projects with alerts (held or dropped). */
  projects(): string[];
  /** A position covering every alert raised so far; pass it to `release` once a checkpoint holds their events. */
  mark(): number;
  /** Alerts up to `mark` may now be dropped when more than `keep` are held (a compaction may follow). */
  release(mark: number): Promise<void>;
  /** Resolves when every write queued so far is on disk. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

export interface AlertStoreOptions {
  /** Alerts kept in memory and in the file (default 1000, at least 10). Env FEEDPULSE_ALERTS_KEEP via the server. */
  keep?: number;
}

export async function openAlertStore(file: string, options: AlertStoreOptions = {}): Promise<AlertStore> {
  await mkdir(dirname(file), { recursive: true });
  const keep = Math.max(10, Math.floor(options.keep ?? 1000));
  // Compact only once this many more are held, so the file is not rewritten for every new alert.
  const slack = Math.max(8, Math.ceil(keep / 4));
  const byId = new Map<string, Held>();
  const byVisitor = new Map<string, Held>();
  /** Folds no checkpoint covers yet (`recentFolds`), and the newest FOLD_IDS_KEPT of each held alert. */
  const unreleasedFoldIds = new Set<string>();
  const keptFoldIds = new Set<string>();
  const isFolded = (id: string): boolean => unreleasedFoldIds.has(id) || keptFoldIds.has(id);
  let recentFolds: RecentFold[] = [];
  let order: Held[] = [];
  /** Lines appended since the file was last rewritten: a compaction is due when they add up. */
  let appendedLines = 0;
  let seq = 0;
  let released = 0;
  let dropped = 0;
  const droppedByProject = new Map<string, number>();
  const remember = (record: AlertRecord) => {
    const held: Held = Object.assign(record, { seq: ++seq, lastFoldIds: [] });
    byId.set(record.alert.id, held);
    order.push(held);
    const prior = byVisitor.get(record.alert.anonymousId);
    if (!prior || prior.alert.at <= record.alert.at) byVisitor.set(record.alert.anonymousId, held);
    return held;
  };
  const keepFoldId = (record: Held, eventId: string) => {
    keptFoldIds.add(eventId);
    record.lastFoldIds.push(eventId);
    if (record.lastFoldIds.length > FOLD_IDS_KEPT) keptFoldIds.delete(record.lastFoldIds.shift()!);
  };
  const noteFold = (record: Held, eventId: string) => {
    record.folded += 1;
    keepFoldId(record, eventId);
    unreleasedFoldIds.add(eventId);
    recentFolds.push({ eventId, recordId: record.alert.id, seq: ++seq });
  };
  let text = '';
  try { text = await readFile(file, 'utf8'); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; }
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: Line;
    try { line = parseStateJson(raw) as Line; } catch { continue; } // a torn last line from a crash
    if (line.kind === 'meta') {
      dropped = line.dropped;
      for (const [project, n] of Object.entries(line.droppedByProject)) droppedByProject.set(project, n);
    } else if (line.kind === 'alert' && !byId.has(line.alert.id)) {
      remember({ alert: line.alert, raisedAt: line.raisedAt, delivery: line.delivery, attempts: line.attempts ?? 0, error: line.error, folded: 0 });
    } else if (line.kind === 'fold') {
      const record = byId.get(line.id);
      if (record && !isFolded(line.eventId)) noteFold(record, line.eventId);
    } else if (line.kind === 'folds') {
      const record = byId.get(line.id);
      if (record && Number.isInteger(line.count) && line.count > 0) record.folded += line.count;
      if (record && Array.isArray(line.ids)) for (const id of line.ids) if (typeof id === 'string' && !isFolded(id)) keepFoldId(record, id);
    } else if (line.kind === 'delivery') {
      const record = byId.get(line.id);
      if (record) Object.assign(record, { delivery: line.delivery, attempts: line.attempts, error: line.error });
    }
  }
  let handle: FileHandle | undefined = await open(file, 'a');
  let writing = Promise.resolve();
  // Appends and compactions are serialised so lines never interleave.
  const serial = (work: () => Promise<void>): Promise<void> => {
    const op = writing.then(work);
    // One failed write must not block the ones after it.
    writing = op.catch((err: Error) => console.error(`feedpulse consumer: writing the alert log failed: ${err.message}`));
    return op;
  };
  // Group commit: lines wait in `queued`; one write (and one fdatasync) takes all queued when it starts.
  let queued: string[] = [];
  let nextWrite: Promise<void> | undefined;
  const append = (line: Line): Promise<void> => {
    queued.push(`${JSON.stringify(line)}\n`);
    appendedLines++;
    nextWrite ??= serial(async () => {
      nextWrite = undefined;
      const text = queued.join('');
      queued = [];
      if (!handle || !text) return;
      await handle.write(text);
      await handle.datasync();
    });
    return nextWrite;
  };

  /** Rewrites the file with what is held now: temp file, fsync, rename, directory fsync. */
  const compact = (): Promise<void> => serial(async () => {
    if (!handle) return;
    // Folds a checkpoint does not cover yet keep their ids; the rest are one count per alert.
    const recentByRecord = new Map<string, string[]>();
    for (const f of recentFolds) {
      const ids = recentByRecord.get(f.recordId);
      if (ids) ids.push(f.eventId); else recentByRecord.set(f.recordId, [f.eventId]);
    }
    const lines: Line[] = [{ kind: 'meta', dropped, droppedByProject: Object.fromEntries(droppedByProject) }];
    for (const r of order) {
      lines.push({ kind: 'alert', alert: r.alert, raisedAt: r.raisedAt, delivery: r.delivery, attempts: r.attempts, ...(r.error ? { error: r.error } : {}) });
      // Ids still needed: those of folds a checkpoint does not cover (as `fold` lines, released
      // again after the next checkpoint) and the newest FOLD_IDS_KEPT (in the `folds` line).
      const recent = recentByRecord.get(r.alert.id) ?? [];
      const kept = r.lastFoldIds.filter((id) => !recent.includes(id));
      if (r.folded > recent.length) lines.push({ kind: 'folds', id: r.alert.id, count: r.folded - recent.length, ...(kept.length ? { ids: kept } : {}) });
      for (const eventId of recent) lines.push({ kind: 'fold', id: r.alert.id, eventId });
    }
    // Queued appends are in `order` / `recentFolds` already: this rewrite holds them.
    queued = [];
    appendedLines = 0;
    const tmp = `${file}.${process.pid}.tmp`;
    const out = await open(tmp, 'w');
    try {
      await out.writeFile(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      await out.sync();
    } finally { await out.close(); }
    await handle.close();
    handle = undefined;
    try {
      await rename(tmp, file);
      const dir = await open(dirname(file), 'r');
      try { await dir.sync(); } catch { /* some file systems cannot fsync a directory */ } finally { await dir.close(); }
    } finally {
      handle = await open(file, 'a');
    }
  });

  const drop = (r: Held) => {
    byId.delete(r.alert.id);
    for (const id of r.lastFoldIds) keptFoldIds.delete(id);
    if (byVisitor.get(r.alert.anonymousId) === r) byVisitor.delete(r.alert.anonymousId);
    dropped++;
    droppedByProject.set(r.alert.project, (droppedByProject.get(r.alert.project) ?? 0) + 1);
    if (r.delivery === 'pending') console.error(`feedpulse consumer: alert ${r.alert.id} dropped by the alert log bound (${keep}) before its webhook delivery finished`);
  };

  return {
    has: (id) => byId.has(id) || isFolded(id),
    latestFor: (anonymousId) => byVisitor.get(anonymousId),
    fold(record, eventId) {
      const held = byId.get(record.alert.id);
      if (!held || isFolded(eventId) || byId.has(eventId)) return Promise.resolve();
      noteFold(held, eventId);
      return append({ kind: 'fold', id: record.alert.id, eventId });
    },
    add(alert, delivery) {
      if (byId.has(alert.id) || isFolded(alert.id)) return Promise.resolve(null);
      const record: AlertRecord = { alert, raisedAt: new Date().toISOString(), delivery, attempts: 0, folded: 0 };
      remember(record);
      return append({ kind: 'alert', alert, raisedAt: record.raisedAt, delivery }).then(() => record);
    },
    async setDelivery(id, delivery, attempts, error) {
      const record = byId.get(id);
      if (!record) return;
      Object.assign(record, { delivery, attempts, error });
      await append({ kind: 'delivery', id, delivery, attempts, error });
    },
    list(n, project) {
      const out: AlertRecord[] = [];
      for (let i = order.length - 1; i >= 0 && out.length < n; i--) if (project === undefined || order[i]!.alert.project === project) out.push(order[i]!);
      return out;
    },
    pending: () => order.filter((r) => r.delivery === 'pending'),
    count: (project) => (project === undefined
      ? dropped + order.length
      : (droppedByProject.get(project) ?? 0) + order.filter((r) => r.alert.project === project).length),
    projects: () => [...new Set([...droppedByProject.keys(), ...order.map((r) => r.alert.project)])].sort(),
    mark: () => seq,
    release(mark) {
      released = Math.max(released, mark);
      // Folded events a checkpoint covers are never replayed: their ids are no longer needed.
      let covered = 0;
      while (covered < recentFolds.length && recentFolds[covered]!.seq <= released) unreleasedFoldIds.delete(recentFolds[covered++]!.eventId);
      if (covered) recentFolds = recentFolds.slice(covered);
      let cut = 0;
      if (order.length > keep + slack) while (order.length - cut > keep && order[cut]!.seq <= released) drop(order[cut++]!);
      if (cut) order = order.slice(cut);
      // Rewrite when alerts were dropped, or when appended lines (folds, deliveries) outgrow what is held.
      if (!cut && appendedLines <= keep + slack) return writing;
      return compact();
    },
    flushed: () => writing,
    async close() {
      await writing;
      await handle?.close();
      handle = undefined;
    },
  };
}
