// Deletion of one visitor's responses (GDPR erasure), by anonymous id or by user id. What goes: every
// fp_responses row of that visitor, so the inbox, the export and the API no longer hold their
// comments, pages, ids or times. What stays: fp_seen (event ids with a receive time, nothing about the
// person), so a broker redelivering one of those events still finds it a duplicate instead of
// writing it back; and fp_rollups, counts and sums per bucket without identity (docs/dashboard.md,
// "Deleting a visitor's data").
import type { Queryable } from '../db/database';

export type VisitorKey = { anonymousId: string } | { userId: string };

/** Deletes the visitor's responses; how many were deleted. */
export async function eraseVisitor(db: Queryable, who: VisitorKey): Promise<number> {
  const rows = 'anonymousId' in who
    ? await db.query<{ n: number }>('WITH gone AS (DELETE FROM fp_responses WHERE anonymous_id = $1 RETURNING 1) SELECT count(*) AS n FROM gone', [who.anonymousId])
    : await db.query<{ n: number }>('WITH gone AS (DELETE FROM fp_responses WHERE user_id = $1 RETURNING 1) SELECT count(*) AS n FROM gone', [who.userId]);
  return rows[0]?.n ?? 0;
}
