// The alerts as the dashboard reads them: asynchronously, so the list can live in the database.
// until db-worker lands: db-worker's src/consumer/db/alerts.ts exports this interface (alerts in
// the database); meanwhile the in-process alert store is adapted.
import type { AlertRecord, AlertStore } from '../alerts/store';

export interface AlertReader {
  list(limit: number, project?: string): Promise<AlertRecord[]>;
  count(project?: string): Promise<number>;
  projects(): Promise<string[]>;
}

// until db-worker lands
export const alertStoreReader = (store: AlertStore): AlertReader => ({
  list: async (limit, project) => store.list(limit, project),
  count: async (project) => store.count(project),
  projects: async () => store.projects(),
});
