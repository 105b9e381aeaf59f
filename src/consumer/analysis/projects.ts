// One analysis state per project, beside the all-projects one, so the dashboard can show a single
// project. A Map (project names come from the stream: with a broker, from any publisher — a name
// like `__proto__` must stay a plain key). Bounded: events of projects beyond the first
// `maxProjects` seen are counted in the all-projects state only, so a flood of made-up project
// names cannot grow memory and the checkpoint without limit. Each project adds about 80 KB to the
// checkpoint (measured after 100k simulated events).
import type { ConsumedEvent } from '../types';
import { isProjectName } from '../../collector/validate';
import { applyEvent, createAnalysis, type AnalysisState, type EventInsight } from './state';

export type ProjectAnalyses = Map<string, AnalysisState>;

export const DEFAULT_MAX_PROJECTS = 50;

export function applyProjectEvent(projects: ProjectAnalyses, event: ConsumedEvent, insight: EventInsight, maxProjects: number): void {
  const name = typeof event.project === 'string' ? event.project : '';
  // A name the collector would refuse (a broker's other publishers may send anything), which the
  // dashboard could not ask for (?project=), gets no figures of its own.
  if (!isProjectName(name)) return;
  let state = projects.get(name);
  if (!state) {
    if (projects.size >= maxProjects) return;
    state = createAnalysis();
    projects.set(name, state);
  }
  applyEvent(state, event, insight);
}

/**
 * Where alerts are filed: under their project when it has figures of its own, else under
 * OTHER_PROJECTS (beyond the first `maxProjects`, or a name the dashboard cannot ask for). The
 * project cap thereby bounds the alert store's per-project counts and the dashboard's project list.
 */
export const OTHER_PROJECTS = '(other projects)';
export const alertProject = (projects: ProjectAnalyses, name: string): string => (projects.has(name) ? name : OTHER_PROJECTS);

/** For the checkpoint (JSON): entries, since a Map does not serialise. */
export const projectsToJson = (projects: ProjectAnalyses): [string, AnalysisState][] => [...projects];
export const projectsFromJson = (entries: [string, AnalysisState][] | undefined): ProjectAnalyses => new Map(entries ?? []);
