// until db-figures lands: the dashboard view is built synchronously, so it reads this copy of the
// newest alerts (from fp_alerts, via AlertReader), refreshed after each batch that filed alerts,
// each delivery outcome and each change notification. Alerts themselves live in the database
// (db/alerts.ts); this file goes once the view reads AlertReader itself.
import type { AlertReader, AlertRecord } from '../db/alerts';

export type { AlertRecord, DeliveryState } from '../db/alerts';

export interface AlertStore {
  list(n: number, project?: string): AlertRecord[];
  count(project?: string): number;
  projects(): string[];
}

export interface AlertSnapshot extends AlertStore {
  /** Reads the database again; concurrent calls share one read, and one more follows if asked meanwhile. */
  refresh(): Promise<void>;
}

export function alertSnapshot(reader: AlertReader, keep: number): AlertSnapshot {
  let held: AlertRecord[] = [];
  let total = 0;
  let counts = new Map<string, number>();
  let names: string[] = [];
  let running: Promise<void> | undefined;
  let again = false;
  const read = async () => {
    const [list, projects, all] = await Promise.all([reader.list(keep), reader.projects(), reader.count()]);
    const perProject = await Promise.all(projects.map(async (p) => [p, await reader.count(p)] as const));
    held = list;
    names = projects;
    total = all;
    counts = new Map(perProject);
  };
  const refresh = (): Promise<void> => {
    if (running) { again = true; return running; }
    running = (async () => {
      do { again = false; await read(); } while (again);
    })().finally(() => { running = undefined; });
    return running;
  };
  return {
    refresh,
    list(n, project) {
      const out: AlertRecord[] = [];
      for (const r of held) { if (out.length >= n) break; if (project === undefined || r.alert.project === project) out.push(r); }
      return out;
    },
    count: (project) => (project === undefined ? total : counts.get(project) ?? 0),
    projects: () => names,
  };
}
