// What the dashboard shows, as one JSON object derived from the analysis state and the alert store.
import type { AlertRecord, AlertStore } from '../alerts/store';
import { hotSpots } from '../analysis/clicks';
import { csatView } from '../analysis/csat';
import { negativeWordsView } from '../analysis/negative-words';
import { npsView } from '../analysis/nps';
import { worstPages } from '../analysis/pages';
import { ratingsView } from '../analysis/ratings';
import { sentimentView } from '../analysis/sentiment';
import { OTHER_PROJECTS, type ProjectAnalyses } from '../analysis/projects';
import { createAnalysis, type AnalysisState } from '../analysis/state';
import { volumeView } from '../analysis/volume';

export interface ViewContext {
  analysis: AnalysisState;
  projects: ProjectAnalyses;
  alerts: AlertStore;
  source: string;
  processed: number;
  /** Events skipped since start because analysing them failed (each logged with its id). */
  failed?: number;
  /** Events counted per second over the last few seconds (of one project, when given). */
  rate: (project?: string) => number;
  webhook: boolean;
  simulation: SimulationStatus;
}
export interface SimulationStatus { running: boolean; sent: number; total: number; startedAt?: string; error?: string }

const alertView = (r: AlertRecord) => ({
  id: r.alert.id, at: r.alert.at, raisedAt: r.raisedAt, severity: r.alert.severity, path: r.alert.path,
  project: r.alert.project, rating: r.alert.rating, scale: r.alert.scale, comment: r.alert.comment,
  rules: r.alert.matches.map((m) => ({ rule: m.rule, detail: m.detail })), delivery: r.delivery, more: r.folded,
});

/** The whole view, or one project's (`project`): figures, comments and alerts of that project only. */
export function buildView(ctx: ViewContext, project?: string) {
  // A project not seen yet gets empty figures, so a dashboard opened before its first event works.
  const a = project === undefined ? ctx.analysis : ctx.projects.get(project) ?? createAnalysis();
  return {
    generatedAt: Date.now(),
    source: ctx.source,
    /** The project shown, null for all. */
    project: project ?? null,
    /** Every project seen (with figures or alerts), for the filter; the shared bucket of the others is shown under "all" only. */
    projects: [...new Set([...ctx.projects.keys(), ...ctx.alerts.projects()])].filter((p) => p !== OTHER_PROJECTS).sort(),
    processed: project === undefined ? ctx.processed : a.volume.total,
    failed: ctx.failed ?? 0,
    rate: ctx.rate(project),
    ratings: ratingsView(a.ratings),
    nps: npsView(a.nps),
    csat: csatView(a.csat),
    volume: volumeView(a.volume),
    sentiment: sentimentView(a.sentiment),
    negativeWords: negativeWordsView(a.negativeWords),
    worstPages: worstPages(a.pages),
    hotSpots: hotSpots(a.clicks, 12),
    comments: a.comments.newest.slice(0, 25),
    alerts: ctx.alerts.list(25, project).map(alertView),
    alertCount: ctx.alerts.count(project),
    webhook: ctx.webhook,
    simulation: ctx.simulation,
  };
}
export type DashboardView = ReturnType<typeof buildView>;
