// Triage of one response: its status (new, seen, resolved) and tags, kept in fp_responses. The body
// of PATCH /dashboard/api/responses/<id> is checked here: only these two fields, each within limits.
import type { Queryable } from '../db/database';
import { STATUSES, TAG, type ResponseStatus } from './filters';
import { type ResponseRow } from './query';

export const MAX_TAGS = 10;

export interface TriagePatch { status?: ResponseStatus; tags?: string[] }
export type TriageParse = { ok: true; patch: TriagePatch } | { ok: false; error: 'invalid_body'; field: string; message: string };

export function parseTriage(body: Record<string, unknown>): TriageParse {
  const fail = (field: string, message: string): TriageParse => ({ ok: false, error: 'invalid_body', field, message });
  const patch: TriagePatch = {};
  for (const key of Object.keys(body)) if (key !== 'status' && key !== 'tags') return fail(key.slice(0, 64), `unknown field "${key.slice(0, 64)}": send status and/or tags`);
  if (body.status !== undefined) {
    if (typeof body.status !== 'string' || !(STATUSES as readonly string[]).includes(body.status)) return fail('status', `status must be one of ${STATUSES.join(', ')}`);
    patch.status = body.status as ResponseStatus;
  }
  if (body.tags !== undefined) {
    if (!Array.isArray(body.tags)) return fail('tags', 'tags must be an array of strings');
    if (body.tags.length > MAX_TAGS) return fail('tags', `at most ${MAX_TAGS} tags`);
    const tags: string[] = [];
    for (const tag of body.tags) {
      if (typeof tag !== 'string' || !TAG.test(tag.trim())) return fail('tags', 'each tag must be 1–40 letters, digits, space, _ . : - (starting with a letter or digit)');
      if (!tags.includes(tag.trim())) tags.push(tag.trim());
    }
    patch.tags = tags;
  }
  if (patch.status === undefined && patch.tags === undefined) return fail('status', 'send status and/or tags');
  return { ok: true, patch };
}

/** Applies `patch`; the response's new status and tags, or undefined when there is no such id. */
export async function triageResponse(db: Queryable, id: string, patch: TriagePatch): Promise<Pick<ResponseRow, 'id' | 'status' | 'tags'> | undefined> {
  const [row] = await db.query<{ id: string; status: ResponseStatus; tags: string[] }>(
    `UPDATE fp_responses SET status = coalesce($2, status), tags = coalesce($3::text[], tags) WHERE id = $1 RETURNING id, status, tags`,
    [id, patch.status ?? null, patch.tags ?? null],
  );
  return row;
}
