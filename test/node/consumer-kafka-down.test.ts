// The dashboard's Kafka source started while no broker listens (a port that refuses connections,
// so no broker is needed): it reports the failed start once and each retry once, without kafkajs's
// own two error lines per connection attempt, which filled the log with dozens of lines a minute.
import { createServer, type AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { kafkaSource } from '../../src/consumer/sources/kafka';
import type { LogEntry } from '../../src/server/logger';
import { waitFor } from '../helpers/consumer';

it('a Kafka broker that refuses connections: one line per failed attempt, no kafkajs noise', async () => {
  const refused = await new Promise<number>((ok) => {
    const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address() as AddressInfo; server.close(() => ok(port)); });
  });
  const lines: LogEntry[] = [];
  const source = kafkaSource({ url: `kafka://127.0.0.1:${refused}`, groupId: `fp-x1-down-${Date.now()}`, log: (entry) => lines.push(entry) });
  await source.start(0, async () => undefined);
  await waitFor(() => lines.some((l) => l.msg === 'source_reconnect_failed'), 20_000, 'a failed retry');
  await source.stop();
  await source.close();
  expect(lines.filter((l) => l.msg === 'source_unreachable')).toEqual([expect.objectContaining({ level: 'error', source: 'kafka' })]);
  expect(lines.filter((l) => l.msg === 'kafka_client')).toEqual([]);
  // Every line is one of the codes docs/dashboard.md lists, for this source.
  expect(lines.every((l) => l.source === 'kafka' && (l.msg === 'source_unreachable' || l.msg === 'source_reconnect_failed'))).toBe(true);
}, 30_000);
