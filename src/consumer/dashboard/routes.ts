// The /dashboard routes: the page, its assets, the live stream (SSE), a JSON snapshot and the
// simulate button. Everything here sits behind FEEDPULSE_DASHBOARD_TOKEN when it is set.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { resolveInside, sendFile } from '../static';
import { checkToken, tokenCookie } from './auth';
import type { SseHub } from './sse';
import { isProjectName } from '../../collector/validate';

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
  view: (project?: string) => unknown;
  /** The first frame of a new stream of `key` ('' = all), shared with other streams (default: `view`). */
  streamView?: (key: string) => unknown;
  /** Starts a simulation; returns an error message when it cannot. */
  simulate: (params: { visitors?: number; rate?: number }) => string | undefined;
}

function unauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="feedpulse-dashboard"', ...SECURITY_HEADERS });
  res.end('The Feedpulse dashboard needs its token: open /dashboard?token=<FEEDPULSE_DASHBOARD_TOKEN>.\n');
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
};

async function readJson(req: IncomingMessage, limit = 4096): Promise<Record<string, unknown> | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch { return undefined; }
}

/** What /dashboard/simulate accepts (absent: the server's defaults). */
export const SIMULATE_LIMITS = { visitors: { min: 1, max: 20_000 }, rate: { min: 1, max: 2000 } } as const;

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

/** Handles the request when it is a dashboard route; returns false otherwise. */
export async function handleDashboard(req: IncomingMessage, res: ServerResponse, url: URL, o: DashboardRoutesOptions): Promise<boolean> {
  const path = url.pathname;
  if (path !== '/dashboard' && !path.startsWith('/dashboard/')) return false;
  const proof = checkToken(req, url, o.token);
  if (!proof) { unauthorized(res); return true; }
  const get = req.method === 'GET' || req.method === 'HEAD';

  if ((path === '/dashboard' || path === '/dashboard/') && get) {
    if (proof === 'query' && o.token) {
      // Trade the token in the address bar for a cookie, so it leaves the URL (and history).
      // The project filter stays in the address; only the token leaves it.
      const project = url.searchParams.get('project');
      const location = project && isProjectName(project) ? `/dashboard?project=${project}` : '/dashboard';
      res.writeHead(303, { location, 'set-cookie': tokenCookie(o.token), ...SECURITY_HEADERS });
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
    if (path === '/dashboard/view.json') { json(res, 200, o.view(project)); return true; }
    const refusal = o.hub.refuse(req);
    if (refusal) { json(res, refusal.status, { error: refusal.error, message: refusal.message }); return true; }
    o.hub.add(req, res, { event: 'view', data: (o.streamView ?? o.view)(project ?? '') }, project ?? '');
    return true;
  }
  if (path === '/dashboard/simulate') {
    if (req.method !== 'POST') { json(res, 405, { error: 'method_not_allowed' }); return true; }
    // A JSON content type cannot be sent cross-site without a CORS preflight we never grant.
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) { json(res, 415, { error: 'send application/json' }); return true; }
    const body = await readJson(req);
    if (!body) { json(res, 400, { error: 'invalid JSON body' }); return true; }
    const params = simulateParams(body);
    if ('field' in params) { json(res, 400, params); return true; }
    const error = o.simulate(params);
    json(res, error ? 409 : 202, error ? { error } : { started: true });
    return true;
  }
  if (path.startsWith('/dashboard/assets/') && get) {
    const file = resolveInside(o.assetsDir, path.slice('/dashboard/assets/'.length));
    if (file && (await sendFile(res, file, { ...SECURITY_HEADERS, 'cache-control': 'no-cache' }, req.method === 'HEAD'))) return true;
  }
  json(res, 404, { error: 'not_found' });
  return true;
}
