// /healthz and /metrics of a process without the collector (FEEDPULSE_ROLES=worker, dashboard, or
// both): a process manager, a load balancer or Prometheus checks every process alike. With the
// collector, its own /healthz (the sink) and /metrics (ingest, plus the worker's counts) answer instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from './db/database';
import type { Consumer } from './consumer';
import { consumerMetrics } from './metrics';
import { settleWithin } from '../server/settle';

/** How long the database may take to answer `SELECT 1` before the process counts as down. */
export const HEALTH_TIMEOUT_MS = 2000;

export interface ProcessHealth {
  roles: readonly string[];
  db: Pick<Database, 'query'>;
  consumer?: Pick<Consumer, 'processed' | 'duplicates' | 'failed'>;
  timeoutMs?: number;
}

/** Answers GET/HEAD `<base>/healthz` and GET `<base>/metrics`; false for any other request. */
export async function handleProcessHealth(req: IncomingMessage, res: ServerResponse, path: string, base: string, health: ProcessHealth): Promise<boolean> {
  const head = req.method === 'HEAD';
  if (path === `${base}/healthz` && (req.method === 'GET' || head)) {
    const up = await databaseAnswers(health.db, health.timeoutMs ?? HEALTH_TIMEOUT_MS);
    const body = JSON.stringify({ status: up ? 'ok' : 'database_down', roles: health.roles });
    res.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(head ? undefined : body);
    return true;
  }
  if (path === `${base}/metrics` && req.method === 'GET' && health.consumer) {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
    res.end(consumerMetrics(health.consumer));
    return true;
  }
  return false;
}

/** True when the database answers `SELECT 1` without an error within `timeoutMs`. */
async function databaseAnswers(db: Pick<Database, 'query'>, timeoutMs: number): Promise<boolean> {
  const answered = db.query('SELECT 1').then(() => true, () => false);
  return (await settleWithin(answered, timeoutMs)) && answered;
}
