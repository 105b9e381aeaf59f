// The log reader from another process than the collector (as a separate consumer/dashboard runs):
// watch() fires on the collector's appends and read() returns the stored events by offset.
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogReader } from '../../src/collector/index.js';
import { buildCollector } from '../../bench/collector-build.mjs';
import { post } from '../helpers/collector';
import { batchOf, feedbackEvent, trackEvent } from '../helpers/events';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('openLogReader across processes', () => {
  it('sees appends of a collector running in another process', async () => {
    await buildCollector();
    const dataDir = await mkdtemp(join(tmpdir(), 'fp-reader-'));
    dirs.push(dataDir);
    const reader = openLogReader(dataDir); // before the log exists
    const child = spawn(process.execPath, [join(__dirname, '../../bench/collector-serve.mjs')], {
      env: { ...process.env, FEEDPULSE_DATA: dataDir, FEEDPULSE_BROKER: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const port = await new Promise<number>((resolve) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const line = out.split('\n').find((l) => l.startsWith('{"port"'));
          if (line) resolve((JSON.parse(line) as { port: number }).port);
        });
      });
      let appended = 0;
      const fired = new Promise<void>((resolve) => {
        const stop = reader.watch(() => {
          appended++;
          stop();
          resolve();
        });
      });
      const first = [feedbackEvent('reader'), trackEvent('reader')];
      expect((await post(`http://127.0.0.1:${port}/v1/events`, batchOf(first))).json.accepted).toBe(2);
      await fired;
      expect(appended).toBe(1);
      expect(await reader.endOffset()).toBe(2);
      const second = [feedbackEvent('reader')];
      await post(`http://127.0.0.1:${port}/v1/events`, batchOf(second));
      const records = await reader.read(1, 10);
      expect(records.map((r) => r.offset)).toEqual([1, 2]);
      expect(records.map((r) => r.event.id)).toEqual([first[1]!.id, second[0]!.id]);
      expect(records[1]!.event).toMatchObject({ type: 'feedback', project: 'reader', data: second[0]!.data });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await reader.close();
    }
  });
});
