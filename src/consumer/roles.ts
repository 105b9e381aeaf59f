// What one Feedpulse process does (FEEDPULSE_ROLES, docs/scale.md): the collector (ingest), the
// worker (counts the broker's stream into the database, files alerts, sends webhooks) and the
// dashboard (reads the database). Default all three: the one-process demo. Any number of workers
// and dashboards can run against one database and broker.
export const ROLES = ['collector', 'worker', 'dashboard'] as const;
export type Role = (typeof ROLES)[number];

/** A comma list of roles; unset or empty = all. */
export function parseRoles(value: string | undefined): Role[] {
  const parts = (value ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  if (!parts.length) return [...ROLES];
  for (const part of parts) {
    if (!(ROLES as readonly string[]).includes(part)) throw new Error(`FEEDPULSE_ROLES: unknown role "${part}"; use a comma list of ${ROLES.join(', ')}`);
  }
  return ROLES.filter((role) => parts.includes(role));
}
