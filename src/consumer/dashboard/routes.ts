// The /dashboard routes: the page, its assets, the live stream (SSE), a JSON snapshot and the
// simulate button. Everything here sits behind FEEDPULSE_DASHBOARD_TOKEN when it is set.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { sendFile, sendFileInside } from '../static';
import { readBody, parseJsonBody } from '../../server/body';
import { sendJson } from '../../server/json-response';
import { isProjectName } from '../../collector/validate';
import { checkToken, tokenCookie } from './auth';
import type { HostCheck } from './hosts';
import type { SseHub } from './sse';
import type { Database } from '../db/database';
import { handleResponsesApi } from '../responses/routes';

/** Strict: only our own files, no inline script or style anywhere on the dashboard. */
export const DASHBOARD_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export interface DashboardRoutesOptions {
  /** demo/dashboard: index.html and the assets. */
  assetsDir: string;
  token?: string;
  hub: SseHub;
  /** The view of one project, or of all when `project` is undefined. */
  view: (project?: string) => Promise<unknown>;
  /** The first frame of a new stream of `key` ('' = all), shared with other streams (default: `view`). */
  streamView?: (key: string) => Promise<unknown>;
  /** Starts a simulation: 202, or why not (409 running, 429 cooldown, 403 turned off, …). */
  simulate: (params: { visitors?: number; rate?: number }) => SimulateAnswer;
  /** Why a request's Host/Origin is refused (DNS rebinding), or undefined. */
  hostCheck?: HostCheck;
  /** Set when the dashboard is off (listening beyond loopback without a token): the 403 message. */
  off?: string;
  /** Whether the session cookie gets `Secure` (the request came over https). */
  secure?: (req: IncomingMessage) => boolean;
  /** How long the simulate body may take to arrive (default 10 s). */
  bodyTimeoutMs?: number;
  /** The analysis database behind /dashboard/api/responses (responses/routes.ts); without it those answer 503. */
  database?: Database;
}
export type SimulateAnswer = { status: 202 } | { status: 403 | 409 | 429; error: string; message: string; retryAfterSeconds?: number };

function unauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="feedpulse-dashboard"', ...SECURITY_HEADERS });
  res.end('The Feedpulse dashboard needs its token: open /dashboard?token=<FEEDPULSE_DASHBOARD_TOKEN> once (the stream and view.json take the cookie it sets, or Authorization: Bearer).\n');
}

const json = (res: ServerResponse, status: number, body: unknown) => sendJson(res, status, body, SECURITY_HEADERS);

/** A small JSON object, with the collector's body reader (size limit and timer) and strict parser. */
type JsonRead = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400 | 408 | 413; error: string };

async function readJson(req: IncomingMessage, timeoutMs: number, limit = 4096): Promise<JsonRead> {
  const body = await readBody(req, limit, timeoutMs);
  if (!body.ok) return body;
  const parsed = parseJsonBody(body.bytes.length ? body.bytes : Buffer.from('{}'));
  if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return { ok: false, status: 400, error: 'invalid JSON body' };
  return { ok: true, value: parsed.value as Record<string, unknown> };
}

/** What /dashboard/simulate accepts (absent: the server's defaults). 3,000 visitors are about 22,000 events. */
export const SIMULATE_LIMITS = { visitors: { min: 1, max: 3000 }, rate: { min: 1, max: 2000 } } as const;

type SimulateInvalid = { error: string; field: string; min: number; max: number };

/** Whole numbers in range, or a 400 body naming the field: a bad value never starts a default run. */
function simulateParams(body: Record<string, unknown>): { visitors?: number; rate?: number } | SimulateInvalid {
  const params: { visitors?: number; rate?: number } = {};
  for (const field of ['visitors', 'rate'] as const) {
    const value = body[field];
    if (value === undefined) continue;
    const { min, max } = SIMULATE_LIMITS[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return { error: `${field} must be a whole number from ${min} to ${max}`, field, min, max };
    }
    params[field] = value;
  }
  return params;
}

function refuseStream(req: IncomingMessage, res: ServerResponse, hub: SseHub): boolean {
  const refusal = hub.refuse(req);
  if (refusal) json(res, refusal.status, { error: refusal.error, message: refusal.message });
  return refusal !== undefined;
}

/** Handles the request when it is a dashboard route; returns false otherwise. */
export async function handleDashboard(req: IncomingMessage, res: ServerResponse, url: URL, o: DashboardRoutesOptions): Promise<boolean> {
  const path = url.pathname;
  if (path !== '/dashboard' && !path.startsWith('/dashboard/')) return false;
  const refusedHost = o.hostCheck?.(req);
  if (refusedHost) { json(res, 403, { error: 'host_not_allowed', message: refusedHost }); return true; }
  if (o.off) { json(res, 403, { error: 'dashboard_off', message: o.off }); return true; }
  const page = path === '/dashboard' || path === '/dashboard/';
  const get = req.method === 'GET' || req.method === 'HEAD';
  const proof = checkToken(req, url, o.token, page && get);
  if (!proof) { unauthorized(res); return true; }

  if (page && get) {
    if (proof === 'query' && o.token) {
      // Trade the token in the address bar for a cookie, so it leaves the URL (and history).
      // The project filter stays in the address; only the token leaves it.
      const project = url.searchParams.get('project');
      const location = project && isProjectName(project) ? `/dashboard?project=${project}` : '/dashboard';
      res.writeHead(303, { location, 'set-cookie': tokenCookie(o.token, o.secure?.(req) ?? false), ...SECURITY_HEADERS });
      res.end();
      return true;
    }
    if (!(await sendFile(res, join(o.assetsDir, 'index.html'), SECURITY_HEADERS, req.method === 'HEAD'))) json(res, 500, { error: 'dashboard page missing' });
    return true;
  }
  if ((path === '/dashboard/stream' && req.method === 'GET') || (path === '/dashboard/view.json' && get)) {
    // ?project=<name> narrows the view to one project; absent or empty means all. A name the
    // collector refuses (also __proto__, constructor, prototype) can have no figures: 400, not an empty 200.
    const project = url.searchParams.get('project') || undefined;
    if (project !== undefined && !isProjectName(project)) { json(res, 400, { error: 'invalid_project' }); return true; }
    if (path === '/dashboard/view.json') { json(res, 200, await o.view(project)); return true; }
    // Refused before the view is read (no database work for a stream that cannot open), and checked
    // again right before it is added, since other streams may have opened meanwhile.
    if (refuseStream(req, res, o.hub)) return true;
    const first = await (o.streamView ?? o.view)(project ?? '');
    if (res.destroyed || refuseStream(req, res, o.hub)) return true;
    o.hub.add(req, res, { event: 'view', data: first }, project ?? '');
    return true;
  }
  if (path === '/dashboard/simulate') {
    if (req.method !== 'POST') { json(res, 405, { error: 'method_not_allowed' }); return true; }
    // A JSON content type cannot be sent cross-site without a CORS preflight we never grant.
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) { json(res, 415, { error: 'send application/json' }); return true; }
    const body = await readJson(req, o.bodyTimeoutMs ?? 10_000);
    if (!body.ok) {
      // A body cut off by its timer or size is not read to its end: close instead of waiting for it.
      if (body.status !== 400) res.setHeader('connection', 'close');
      json(res, body.status, { error: body.error });
      if (body.status !== 400) res.on('finish', () => req.destroy());
      return true;
    }
    const params = simulateParams(body.value);
    if ('field' in params) { json(res, 400, params); return true; }
    const answer = o.simulate(params);
    if (answer.status === 202) { json(res, 202, { started: true }); return true; }
    if (answer.retryAfterSeconds) res.setHeader('retry-after', String(answer.retryAfterSeconds));
    json(res, answer.status, { error: answer.error, message: answer.message });
    return true;
  }
  if (await handleResponsesApi(req, res, url, { db: o.database, headers: SECURITY_HEADERS, bodyTimeoutMs: o.bodyTimeoutMs })) return true;
  if (path.startsWith('/dashboard/assets/') && get) {
    // By real path: a symlink in the assets folder that points out of it is not followed.
    if (await sendFileInside(res, o.assetsDir, path.slice('/dashboard/assets/'.length), { ...SECURITY_HEADERS, 'cache-control': 'no-cache' }, req.method === 'HEAD')) return true;
  }
  json(res, 404, { error: 'not_found' });
  return true;
}
