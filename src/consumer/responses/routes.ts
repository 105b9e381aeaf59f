// The responses API under /dashboard/api (docs/dashboard.md, "Responses API"), reached only through
// handleDashboard, so the token, Host and Origin checks have already passed. Writes (PATCH, DELETE)
// are CSRF-safe: a cross-site page cannot send them without a CORS preflight this server never
// grants (a non-simple method, and PATCH a JSON body), the cookie is SameSite=Strict, and a request
// whose Origin is not this server's was refused before reaching here (hosts.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, readBody } from '../../server/body';
import type { Database } from '../db/database';
import { storedId } from '../db/deltas';
import { eraseVisitor } from './erase';
import { EXPORT_TYPES, exportFileName, writeExport, type ExportFormat } from './export';
import { parseResponsesFilter } from './filters';
import { countResponses, listResponses } from './query';
import { parseTriage, triageResponse } from './triage';

export interface ResponsesApiOptions {
  /** The analysis database; without one every route answers 503. */
  db?: Database;
  /** The dashboard's security headers, on every answer. */
  headers: Readonly<Record<string, string>>;
  /** How long a PATCH body may take to arrive (default 10 s). */
  bodyTimeoutMs?: number;
}

const FORMATS = ['json', 'csv', 'ndjson'] as const;
/** An id in a path: a response's event id, an anonymous id, a user id (validate.ts's lengths). */
const MAX_ID = 256;

function send(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>>): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** The decoded last segment of `path` after `prefix`, or undefined when it is not one id. */
function idAfter(path: string, prefix: string): string | undefined {
  if (!path.startsWith(prefix)) return undefined;
  const raw = path.slice(prefix.length);
  if (!raw || raw.includes('/')) return undefined;
  let id: string;
  try { id = decodeURIComponent(raw); } catch { return undefined; }
  // Any text, as the collector takes ids (a tab or a newline in a user id too), and as the database
  // holds it (NUL as U+FFFD, cut to 200 characters), so every stored visitor can be erased.
  return id.length > 0 && id.length <= MAX_ID ? storedId(id) : undefined;
}

/** Handles /dashboard/api/responses… and /dashboard/api/{visitors,users}/<id>; false for any other path. */
export async function handleResponsesApi(req: IncomingMessage, res: ServerResponse, url: URL, o: ResponsesApiOptions): Promise<boolean> {
  const path = url.pathname;
  const known = path === '/dashboard/api/responses' || path.startsWith('/dashboard/api/responses/')
    || path.startsWith('/dashboard/api/visitors/') || path.startsWith('/dashboard/api/users/');
  if (!known) return false;
  const reply = (status: number, body: unknown) => send(res, status, body, o.headers);
  const db = o.db;
  if (!db) { reply(503, { error: 'no_database', message: 'this server has no analysis database open' }); return true; }

  if (path === '/dashboard/api/responses') {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.setHeader('allow', 'GET, HEAD'); reply(405, { error: 'method_not_allowed' }); return true; }
    const format = url.searchParams.get('format')?.trim() || 'json';
    if (!(FORMATS as readonly string[]).includes(format)) { reply(400, { error: 'invalid_parameter', parameter: 'format', message: 'format must be one of json, csv, ndjson' }); return true; }
    const parsed = parseResponsesFilter(url.searchParams);
    if (!parsed.ok) { reply(400, parsed); return true; }
    const filter = parsed.filter;
    if (format === 'json') {
      const page = await listResponses(db, filter);
      // The total is counted for the first page only: later pages are the same view.
      const total = filter.cursor ? undefined : await countResponses(db, filter);
      reply(200, { responses: page.responses, next: page.next, ...(total === undefined ? {} : { total }) });
      return true;
    }
    res.writeHead(200, {
      ...o.headers,
      'content-type': EXPORT_TYPES[format as ExportFormat],
      'content-disposition': `attachment; filename="${exportFileName(format as ExportFormat)}"`,
    });
    if (req.method === 'HEAD') { res.end(); return true; }
    await writeExport(res, db, filter, format as ExportFormat);
    return true;
  }

  if (path.startsWith('/dashboard/api/responses/')) {
    const id = idAfter(path, '/dashboard/api/responses/');
    if (id === undefined) { reply(404, { error: 'not_found' }); return true; }
    if (req.method !== 'PATCH' && req.method !== 'POST') { res.setHeader('allow', 'PATCH, POST'); reply(405, { error: 'method_not_allowed' }); return true; }
    // A JSON content type cannot be sent cross-site without a CORS preflight we never grant.
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) { reply(415, { error: 'send application/json' }); return true; }
    const body = await readBody(req, 4096, o.bodyTimeoutMs ?? 10_000);
    if (!body.ok) {
      // A body cut off by its timer or size is not read to its end: close instead of waiting for it.
      res.setHeader('connection', 'close');
      reply(body.status, { error: body.error });
      res.on('finish', () => req.destroy());
      return true;
    }
    const json = parseJsonBody(body.bytes);
    if (!json.ok || !json.value || typeof json.value !== 'object' || Array.isArray(json.value)) { reply(400, { error: 'invalid_body', message: 'send a JSON object' }); return true; }
    const patch = parseTriage(json.value as Record<string, unknown>);
    if (!patch.ok) { reply(400, patch); return true; }
    const updated = await triageResponse(db, id, patch.patch);
    if (!updated) { reply(404, { error: 'not_found', message: 'no response with this id (deleted, past retention, or never received)' }); return true; }
    reply(200, updated);
    return true;
  }

  const byUser = path.startsWith('/dashboard/api/users/');
  const id = idAfter(path, byUser ? '/dashboard/api/users/' : '/dashboard/api/visitors/');
  if (id === undefined) { reply(404, { error: 'not_found' }); return true; }
  if (req.method !== 'DELETE') { res.setHeader('allow', 'DELETE'); reply(405, { error: 'method_not_allowed' }); return true; }
  const deleted = await eraseVisitor(db, byUser ? { userId: id } : { anonymousId: id });
  reply(200, { deleted });
  return true;
}
