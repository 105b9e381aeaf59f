// What the dashboard shows, as one JSON object read from the analysis database (db/figures) and
// the alerts. Nothing is kept between two views but the rate's samples: any number of dashboards
// reading one database show the same figures.
import { isProjectName } from '../../collector/validate';
import type { Queryable } from '../db/database';
import { readFigures } from '../db/figures/index';
import { ALL_PROJECTS, OTHER_PROJECTS } from '../db/metrics';
import type { AlertReader, AlertRecord } from '../db/alerts';

export interface ViewContext {
  db: Queryable;
  alerts: AlertReader;
  source: string;
  /** Events skipped since start because analysing them failed (each logged with its id). */
  failed?: number;
  /** Events counted per second over the last few seconds, from the counted total of the view key ('' = all). */
  rate: (key: string, processed: number) => number;
  webhook: boolean;
  simulation: SimulationStatus;
}
export interface SimulationStatus { running: boolean; sent: number; total: number; startedAt?: string; error?: string }

const alertView = (r: AlertRecord) => ({
  id: r.alert.id, at: r.alert.at, raisedAt: r.raisedAt, severity: r.alert.severity, path: r.alert.path,
  project: r.alert.project, rating: r.alert.rating, scale: r.alert.scale, comment: r.alert.comment,
  rules: r.alert.matches.map((m) => ({ rule: m.rule, detail: m.detail })), delivery: r.delivery, more: r.folded,
});

/**
 * The whole view, or one project's (`project`): figures, comments and alerts of that project only.
 * A project not seen yet gets empty figures, so a dashboard opened before its first event works; a
 * key that is no project name (the shared view of unseen projects) reads no figures at all.
 */
export async function buildView(ctx: ViewContext, project?: string) {
  const key = project === undefined ? ALL_PROJECTS : isProjectName(project) ? project : null;
  const [figures, alertList, alertCount, alertProjects] = await Promise.all([
    readFigures(ctx.db, key),
    key === null ? [] : ctx.alerts.list(25, project),
    key === null ? 0 : ctx.alerts.count(project),
    ctx.alerts.projects(),
  ]);
  const { projects, ...shown } = figures;
  const processed = figures.volume.total;
  return {
    generatedAt: Date.now(),
    source: ctx.source,
    /** The project shown, null for all. */
    project: project ?? null,
    /** Every project seen (with figures or alerts), for the filter; the shared bucket of the others is shown under "all" only. */
    projects: [...new Set([...projects, ...alertProjects])].filter((p) => p !== OTHER_PROJECTS).sort(),
    processed,
    failed: ctx.failed ?? 0,
    rate: key === null ? 0 : ctx.rate(key, processed),
    ...shown,
    alerts: alertList.map(alertView),
    alertCount,
    webhook: ctx.webhook,
    simulation: ctx.simulation,
  };
}
export type DashboardView = Awaited<ReturnType<typeof buildView>>;
