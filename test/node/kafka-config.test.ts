// The kafka:// URL (options, errors that never repeat the password) and the sink's group-commit
// queue (calls in flight bounded, waiting requests merged, each settled by its own call). No broker.
import { describe, expect, it } from 'vitest';
import type { Message } from 'kafkajs';
import { parseKafkaUrl } from '../../src/server/brokers/kafka';
import { createSendQueue } from '../../src/collector/sinks/kafka-send-queue';
import { parseBrokerSpec } from '../../src/server/brokers/spec';

describe('kafka:// URL', () => {
  it('reads brokers, defaults and options', () => {
    expect(parseBrokerSpec(' KAFKA://a:9092 ')).toEqual({ kind: 'kafka', url: 'KAFKA://a:9092' });
    expect(parseKafkaUrl('kafka://a:9092,b.example:19092')).toMatchObject({
      brokers: ['a:9092', 'b.example:19092'], topic: 'feedpulse.events', partitions: 3, replication: -1, clientId: 'feedpulse', ssl: false, sasl: undefined,
    });
    expect(parseKafkaUrl('kafka://u%40x:p%3Ass@h:9093/?topic=t.1&partitions=6&replication=3&clientId=c&tls=true&sasl=scram-sha-512')).toMatchObject({
      brokers: ['h:9093'], topic: 't.1', partitions: 6, replication: 3, clientId: 'c', ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'u@x', password: 'p:ss' },
      display: 'kafka://u%40x:***@h:9093/t.1',
    });
  });

  it('refuses what it cannot use, without repeating the password', () => {
    const bad = ['kafka://', 'kafka://h', 'kafka://h:9092?topic=a/b', 'kafka://h:9092?partitions=0', 'kafka://h:9092?colour=red',
      'kafka://h:9092?sasl=gssapi', 'kafka://h:9092?sasl=plain', 'kafka://u:secret@h:9092?sasl=nope'];
    for (const url of bad) {
      expect(() => parseKafkaUrl(url), url).toThrow(/^FEEDPULSE_BROKER: .*kafka/);
      try { parseKafkaUrl(url); } catch (err) { expect((err as Error).message).not.toContain('secret'); }
    }
  });
});

describe('Kafka send queue', () => {
  const batch = (n: number, tag: string): Message[] => Array.from({ length: n }, (_, i) => ({ value: `${tag}${i}` }));

  it('keeps at most `concurrency` calls in flight and merges the requests that wait', async () => {
    const calls: { messages: Message[]; done: () => void; fail: (e: Error) => void }[] = [];
    const send = createSendQueue((messages) => new Promise<void>((resolve, reject) => calls.push({ messages, done: resolve, fail: reject })), 2, 5);
    const settled: string[] = [];
    const track = (tag: string, p: Promise<void>) => p.then(() => settled.push(`${tag}:ok`), () => settled.push(`${tag}:failed`));
    const a = track('a', send(batch(1, 'a')));
    const b = track('b', send(batch(1, 'b')));
    const c = track('c', send(batch(2, 'c')));
    const d = track('d', send(batch(2, 'd')));
    const e = track('e', send(batch(3, 'e')));
    expect(calls.map((x) => x.messages.length)).toEqual([1, 1]); // two in flight, the rest wait
    calls[0]!.done();
    await a;
    // c and d (4 messages) go together; e would pass the 5-message cap and waits.
    expect(calls.map((x) => x.messages.length)).toEqual([1, 1, 4]);
    expect(settled).toEqual(['a:ok']);
    calls[2]!.fail(new Error('NOT_ENOUGH_REPLICAS'));
    await Promise.all([c, d]);
    expect(settled).toEqual(['a:ok', 'c:failed', 'd:failed']); // b is still unanswered
    calls[1]!.done();
    calls[3]!.done();
    await Promise.all([b, e]);
    expect(calls.map((x) => x.messages.length)).toEqual([1, 1, 4, 3]);
    expect(settled.sort()).toEqual(['a:ok', 'b:ok', 'c:failed', 'd:failed', 'e:ok']);
  });
});
