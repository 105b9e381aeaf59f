// kill -9 durability of the embedded sink: a collector in a child process takes concurrent batches
// and is killed with SIGKILL while requests are in flight. Every id answered 200 must be in the log,
// and must be answered as a duplicate by a collector restarted on the same data directory.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { openLogReader } from '../../src/collector/index.js';
import { batchOf, feedbackEvent } from '../helpers/events';
import { httpPost } from '../helpers/collector';
import { buildCollector } from '../../bench/collector-build.mjs';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function startChild(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(__dirname, '../../bench/collector-serve.mjs'), JSON.stringify({ rateLimit: false })], {
    env: { ...process.env, FEEDPULSE_DATA: dataDir, FEEDPULSE_BROKER: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`collector exited early (${code})`)));
  });
  return { child, url: `http://127.0.0.1:${port}/v1/events` };
}

describe('embedded sink under kill -9', () => {
  it('keeps every event it answered 200 for, and knows them as duplicates after restart', async () => {
    await buildCollector();
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-kill9-'));
    dirs.push(dataDir);
    const { child, url } = await startChild(dataDir);
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    const acked: string[][] = [];
    const ackedBodies: string[] = [];
    let failures = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const events = Array.from({ length: 20 }, () => feedbackEvent('kill9'));
        const body = batchOf(events);
        try {
          const res = await httpPost(url, body, agent);
          const json = JSON.parse(res.text) as { accepted: number };
          if (res.status === 200 && json.accepted === 20) {
            acked.push(events.map((e) => e.id));
            ackedBodies.push(body);
          }
        } catch {
          failures++; // the requests in flight when the process dies
          return;
        }
      }
    };
    const workers = Array.from({ length: 24 }, worker);
    // Kill once a good number of batches were answered, while requests are still in flight.
    while (acked.length < 150) await new Promise((r) => setTimeout(r, 5));
    // The workers keep sending until the process is gone, so requests are in flight when it dies
    // however the kill and the answers interleave on a busy machine (stopping them at the kill
    // itself could leave none in flight).
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(workers);
    expect(failures).toBeGreaterThan(0); // the kill did interrupt requests

    const ackedIds = acked.flat();
    const reader = openLogReader(dataDir);
    const end = await reader.endOffset();
    const onDisk = new Set<string>();
    for (let offset = 0; offset < end; ) {
      const records = await reader.read(offset, 5000);
      for (const r of records) onDisk.add(r.event.id);
      offset = records.length ? records[records.length - 1]!.offset + 1 : end;
    }
    await reader.close();
    const missing = ackedIds.filter((id) => !onDisk.has(id));
    expect(missing).toEqual([]);

    const restarted = await startChild(dataDir);
    try {
      let duplicates = 0;
      let accepted = 0;
      for (const body of ackedBodies) {
        const res = await httpPost(restarted.url, body, agent);
        const json = JSON.parse(res.text) as { accepted: number; duplicates: number };
        duplicates += json.duplicates;
        accepted += json.accepted;
      }
      expect(accepted).toBe(0);
      expect(duplicates).toBe(ackedIds.length);
    } finally {
      restarted.child.kill('SIGTERM');
      await new Promise((r) => restarted.child.once('exit', r));
      agent.destroy();
    }
  });
});
