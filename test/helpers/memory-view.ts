// The dashboard view as it was built from the in-memory analysis state (applyEvent + projects),
// before the dashboard read the database: the consumer tests of the in-memory consumer use it, and
// the equivalence test (db-figures) compares the database's figures with it.
import type { AlertRecord, AlertStore } from '../../src/consumer/alerts/store';
import { HOT_SPOTS, hotSpots } from '../../src/consumer/analysis/clicks';
import { csatView } from '../../src/consumer/analysis/csat';
import { negativeWordsView } from '../../src/consumer/analysis/negative-words';
import { npsView } from '../../src/consumer/analysis/nps';
import { worstPages } from '../../src/consumer/analysis/pages';
import { ratingsView } from '../../src/consumer/analysis/ratings';
import { sentimentView } from '../../src/consumer/analysis/sentiment';
import { OTHER_PROJECTS, type ProjectAnalyses } from '../../src/consumer/analysis/projects';
import { createAnalysis, type AnalysisState } from '../../src/consumer/analysis/state';
import { volumeView } from '../../src/consumer/analysis/volume';

/** The figures of one state, in the view's shape. */
export function memoryFigures(a: AnalysisState) {
  return {
    ratings: ratingsView(a.ratings),
    nps: npsView(a.nps),
    csat: csatView(a.csat),
    volume: volumeView(a.volume),
    sentiment: sentimentView(a.sentiment),
    negativeWords: negativeWordsView(a.negativeWords),
    worstPages: worstPages(a.pages),
    hotSpots: hotSpots(a.clicks, HOT_SPOTS),
    comments: a.comments.newest.slice(0, 25),
  };
}

const alertView = (r: AlertRecord) => ({
  id: r.alert.id, at: r.alert.at, raisedAt: r.raisedAt, severity: r.alert.severity, path: r.alert.path,
  project: r.alert.project, rating: r.alert.rating, scale: r.alert.scale, comment: r.alert.comment,
  rules: r.alert.matches.map((m) => ({ rule: m.rule, detail: m.detail })), delivery: r.delivery, more: r.folded,
});

export interface MemoryViewContext { analysis: AnalysisState; projects: ProjectAnalyses; alerts: AlertStore; processed: number }

export function memoryView(ctx: MemoryViewContext, project?: string) {
  const a = project === undefined ? ctx.analysis : ctx.projects.get(project) ?? createAnalysis();
  return {
    project: project ?? null,
    projects: [...new Set([...ctx.projects.keys(), ...ctx.alerts.projects()])].filter((p) => p !== OTHER_PROJECTS).sort(),
    processed: project === undefined ? ctx.processed : a.volume.total,
    ...memoryFigures(a),
    alerts: ctx.alerts.list(25, project).map(alertView),
    alertCount: ctx.alerts.count(project),
  };
}
