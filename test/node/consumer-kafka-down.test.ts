// The dashboard's Kafka source started while no broker listens (a port that refuses connections,
// so no broker is needed): it reports the failed start once and each retry once, without kafkajs's
// own two error lines per connection attempt, which filled the log with dozens of lines a minute.
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import { kafkaSource } from '../../src/consumer/sources/kafka';
import { waitFor } from './consumer-fixtures';

afterEach(() => { vi.restoreAllMocks(); });

it('a Kafka broker that refuses connections: one line per failed attempt, no kafkajs noise', async () => {
  const refused = await new Promise<number>((ok) => {
    const server = createServer().listen(0, '127.0.0.1', () => { const { port } = server.address() as AddressInfo; server.close(() => ok(port)); });
  });
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { lines.push(args.map(String).join(' ')); });
  const source = kafkaSource({ url: `kafka://127.0.0.1:${refused}`, groupId: `fp-x1-down-${Date.now()}` });
  await source.start(0, async () => undefined);
  await waitFor(() => lines.some((l) => l.includes('Kafka retry failed')), 20_000, 'a failed retry');
  await source.stop();
  await source.close();
  expect(lines.filter((l) => l.includes('Kafka not reachable'))).toHaveLength(1);
  expect(lines.filter((l) => l.startsWith('feedpulse consumer: Kafka: '))).toEqual([]);
}, 30_000);
