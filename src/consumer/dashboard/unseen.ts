// The one view shared by every stream of a project the dashboard does not know (no figures, no
// alerts): what a dashboard opened before a project's first event shows. Its `project` is null and
// `unseen` true, so it is the same object for any name; once the project is known, its streams get
// that project's own view at the next push.
/** A view key no project can have (not a project name the collector accepts). */
export const UNSEEN_PROJECT = '\u0000unseen';

export async function unseenView<V extends { project: string | null }>(view: (project?: string) => Promise<V>): Promise<V & { unseen: true }> {
  return { ...(await view(UNSEEN_PROJECT)), project: null, unseen: true };
}
