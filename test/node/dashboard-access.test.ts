// Who can reach the dashboard: without a token it listens on loopback only (and is off when told
// to listen beyond it), it answers only to its own host names (DNS rebinding), the token is taken
// in the address on the page only and traded for a derived, HttpOnly, SameSite=Strict cookie
// (Secure over https), and /metrics needs the token too.
import { mkdtemp, rm } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFeedpulseServer, type FeedpulseServer, type FeedpulseServerOptions } from '../../src/consumer/index';

interface Answer { status: number; headers: IncomingHttpHeaders; body: string }

/** A raw request (fetch cannot set Host). */
function send(s: FeedpulseServer, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.port, path, method, headers: { host: `127.0.0.1:${s.port}`, ...headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      // A stream answers 200 and goes on: its head is enough.
      if (res.statusCode === 200 && path.startsWith('/dashboard/stream')) { resolve({ status: 200, headers: res.headers, body: '' }); req.destroy(); return; }
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dashboard access', () => {
  const servers: FeedpulseServer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  const start = async (options: FeedpulseServerOptions = {}, env: NodeJS.ProcessEnv = {}) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-access-'));
    dirs.push(dataDir);
    const s = await startFeedpulseServer({ port: 0, dataDir, collector: { log: false, rateLimit: false }, ...options }, env);
    servers.push(s);
    return s;
  };

  it('without a token listens on 127.0.0.1 by default, shown as localhost, and says so', async () => {
    const s = await start();
    expect((s.server.address() as { address: string }).address).toBe('127.0.0.1');
    expect(s.url).toBe(`http://localhost:${s.port}`);
    expect(s.notes.join('\n')).toMatch(/listening on 127\.0\.0\.1 only/);
    expect((await send(s, '/dashboard')).status).toBe(200);
    expect((await send(s, '/healthz')).status).toBe(200);
  });

  it('beyond loopback without a token the dashboard is off (403, with the reason); the shop and the collector work', async () => {
    const s = await start({ host: '0.0.0.0' });
    expect(s.notes[0]).toMatch(/dashboard is off.*FEEDPULSE_DASHBOARD_TOKEN/);
    for (const path of ['/dashboard', '/dashboard/view.json', '/dashboard/stream']) {
      const answer = await send(s, path);
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'dashboard_off', message: expect.stringMatching(/FEEDPULSE_DASHBOARD_TOKEN/) });
    }
    expect((await send(s, '/')).status).toBe(200);
    expect((await send(s, '/healthz')).status).toBe(200);
    // With a token it serves, beyond loopback too (and that is the default host then).
    const guarded = await start({ dashboardToken: 's3cret' });
    expect((guarded.server.address() as { address: string }).address).toBe('0.0.0.0');
    expect((await send(guarded, '/dashboard/view.json', { authorization: 'Bearer s3cret' })).status).toBe(200);
  });

  it('answers /dashboard* only to its own host names and same-origin requests (DNS rebinding)', async () => {
    const s = await start({ host: '127.0.0.1', publicUrl: 'https://feedback.example.com' });
    for (const host of ['evil.example', `evil.example:${s.port}`, 'localhost.evil.example']) {
      const answer = await send(s, '/dashboard/view.json', { host });
      expect(answer.status, host).toBe(403);
      expect(JSON.parse(answer.body).error).toBe('host_not_allowed');
      expect((await send(s, '/dashboard/stream', { host })).status, host).toBe(403);
    }
    for (const host of [`localhost:${s.port}`, `127.0.0.1:${s.port}`, 'feedback.example.com', `[::1]:${s.port}`, 'app.localhost']) {
      expect((await send(s, '/dashboard/view.json', { host })).status, host).toBe(200);
    }
    // A script on another origin cannot start a simulation (nor read the view).
    const json = { 'content-type': 'application/json' };
    const crossSite = await send(s, '/dashboard/simulate', { ...json, origin: 'http://evil.example' }, 'POST', '{"visitors":1}');
    expect(crossSite.status).toBe(403);
    expect((await send(s, '/dashboard/view.json', { origin: `http://localhost:${s.port}` })).status).toBe(403); // Host is 127.0.0.1:port
    expect((await send(s, '/dashboard/view.json', { origin: `http://127.0.0.1:${s.port}` })).status).toBe(200);
    expect((await send(s, '/dashboard/view.json', { origin: 'https://feedback.example.com', host: 'internal:8080' })).status).toBe(403);
    expect((await send(s, '/dashboard/view.json', { origin: 'https://feedback.example.com', host: 'feedback.example.com' })).status).toBe(200);
    // The collector and the shop are for every site: no Host check there.
    expect((await send(s, '/healthz', { host: 'evil.example' })).status).toBe(200);
  });

  it('takes ?token= on the page only, and trades it for a derived HttpOnly SameSite=Strict cookie', async () => {
    const s = await start({ host: '127.0.0.1', dashboardToken: 's3cret' });
    expect((await send(s, '/dashboard/view.json?token=s3cret')).status).toBe(401);
    expect((await send(s, '/dashboard/stream?token=s3cret')).status).toBe(401);
    const login = await send(s, '/dashboard?token=s3cret');
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain http
    const pair = cookie.split(';')[0];
    expect(pair).not.toContain('s3cret');
    expect((await send(s, '/dashboard/view.json', { cookie: pair })).status).toBe(200);
    expect((await send(s, '/dashboard/stream', { cookie: pair })).status).toBe(200);
    // The cookie is not the token: the token in the cookie, or the cookie as a Bearer token, is refused.
    expect((await send(s, '/dashboard/view.json', { cookie: 'fp_dashboard=s3cret' })).status).toBe(401);
    expect((await send(s, '/dashboard/view.json', { authorization: `Bearer ${pair.split('=')[1]}` })).status).toBe(401);
    // Over https (here: a trusted proxy says so) the cookie is Secure; an untrusted header is ignored.
    const viaProxy = await start({ host: '127.0.0.1', dashboardToken: 's3cret', collector: { log: false, rateLimit: false, trustProxy: true } });
    expect(String((await send(viaProxy, '/dashboard?token=s3cret', { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).toMatch(/; Secure/);
    expect(String((await send(s, '/dashboard?token=s3cret', { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('/metrics needs the token when one is set (Bearer), and stays open without one', async () => {
    const guarded = await start({ host: '127.0.0.1', dashboardToken: 's3cret' });
    expect((await send(guarded, '/metrics')).status).toBe(401);
    expect((await send(guarded, '/metrics?token=s3cret')).status).toBe(401);
    const ok = await send(guarded, '/metrics', { authorization: 'Bearer s3cret' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/^# HELP/m);
    const open = await start({ host: '127.0.0.1' });
    expect((await send(open, '/metrics')).status).toBe(200);
  });

  it('/metrics needs the token however its path is spelt: dot segments, an encoded dot, the absolute form', async () => {
    const guarded = await start({ host: '127.0.0.1', dashboardToken: 's3cret' });
    // Each of these is /metrics to the URL parser the collector routes by.
    for (const path of ['/./metrics', '/x/../metrics', '/%2E/metrics', '/%2e%2e/metrics', `http://127.0.0.1:${guarded.port}/metrics`]) {
      const answer = await send(guarded, path);
      expect(answer.status, path).toBe(401);
      expect(answer.body, path).not.toMatch(/^# HELP/m);
    }
    expect((await send(guarded, '/./metrics', { authorization: 'Bearer s3cret' })).status).toBe(200);
  });
});
