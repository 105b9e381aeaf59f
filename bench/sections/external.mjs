// Sections owned by other engineers' scripts: bench/collector-ingest.mjs (section 5) and
// bench/dashboard-latency.mjs (dashboard latency). The ingest script is called with --json and
// tabulated; the dashboard script prints markdown, which is shown as it reports it; a missing script or a failure is reported, not hidden.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Run `node bench/<script> --json [--quick]`; returns { data } from the last JSON value printed, or { skipped }. */
export function runScript(ctx, script, { timeoutMs, extraArgs = [], markdown = false } = {}) {
  const file = join(ctx.repo, 'bench', script);
  if (!existsSync(file)) return Promise.resolve({ skipped: `bench/${script} is not there yet` });
  // A script that prints markdown (no --json flag) is passed only its own flags.
  const args = [file, ...(markdown ? [] : ['--json']), ...(ctx.quick && !extraArgs.length && !markdown ? ['--quick'] : []), ...extraArgs];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ctx.repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs ?? (ctx.quick ? 90_000 : 600_000));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (markdown) {
        resolve(code === 0 ? { markdown: out.trim(), stderr: err } : { skipped: `bench/${script} ${signal ? `killed (${signal}, timeout)` : `exited ${code}`}: ${(err || out).trim().split('\n').slice(-3).join(' | ').slice(0, 400)}` });
        return;
      }
      const data = lastJson(out);
      if (code !== 0 || data === undefined) {
        resolve({ skipped: `bench/${script} ${signal ? `killed (${signal}, timeout)` : `exited ${code}`}${data === undefined ? ', no JSON on stdout' : ''}: ${(err || out).trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`, data });
        return;
      }
      resolve({ data, stderr: err });
    });
  });
}

/** The whole stdout as JSON, or else the last line that parses. */
function lastJson(text) {
  try { return JSON.parse(text); } catch { /* try line by line */ }
  const lines = text.trim().split('\n').reverse();
  for (const line of lines) { try { return JSON.parse(line); } catch { /* next */ } }
  return undefined;
}
