// JetStream publishing with acks, without nats.js's request machinery: every event is a core NATS
// publish with `Nats-Msg-Id` and a reply subject under one inbox subscription; the PubAck
// (`{stream, seq, duplicate?}` or `{error}`) arrives there. nats.js's `js.publish` makes a request
// object, a timer and an Error per message, which made the client the bottleneck of this sink;
// here a batch shares one timer. The protocol is the same one `js.publish` speaks.
import type { NatsConnection, Msg, MsgHdrs } from 'nats';
import { SinkUnavailableError } from '../errors.js';

export interface JetStreamPublisher {
  /** Publishes each message and resolves with, per message, whether the stream called it a duplicate. */
  publishBatch(messages: { subject: string; payload: string; msgId: string }[], timeoutMs: number): Promise<boolean[]>;
  close(): void;
}

interface Waiter {
  resolve(duplicate: boolean): void;
  reject(err: Error): void;
}

interface NatsLib {
  createInbox(prefix?: string): string;
  headers(): MsgHdrs;
}

const decoder = new TextDecoder();

export function createJetStreamPublisher(nc: NatsConnection, lib: NatsLib): JetStreamPublisher {
  const inbox = lib.createInbox();
  const waiting = new Map<string, Waiter>();
  let next = 0;

  const onAck = (_err: Error | null, msg: Msg) => {
    const token = msg.subject.slice(inbox.length + 1);
    const waiter = waiting.get(token);
    if (!waiter) return; // answered after its batch timed out
    waiting.delete(token);
    if (msg.headers?.hasError || msg.data.length === 0) {
      // e.g. 503 "no responders": no stream takes this subject
      waiter.reject(new SinkUnavailableError(`JetStream: ${msg.headers?.code ?? ''} ${msg.headers?.description || 'no stream took the message'}`.trim(), 5));
      return;
    }
    let ack: { error?: { description?: string }; duplicate?: boolean };
    try {
      ack = JSON.parse(decoder.decode(msg.data)) as typeof ack;
    } catch {
      waiter.reject(new SinkUnavailableError('JetStream sent an unreadable ack', 2));
      return;
    }
    if (ack.error) waiter.reject(new SinkUnavailableError(`JetStream refused the message: ${ack.error.description ?? 'error'}`, 5));
    else waiter.resolve(ack.duplicate === true);
  };
  const subscription = nc.subscribe(`${inbox}.*`, { callback: onAck });

  return {
    publishBatch(messages, timeoutMs) {
      const tokens: string[] = [];
      const acks = messages.map(({ subject, payload, msgId }) => new Promise<boolean>((resolve, reject) => {
        const token = (next++).toString(36);
        tokens.push(token);
        waiting.set(token, { resolve, reject });
        const headers = lib.headers();
        headers.set('Nats-Msg-Id', msgId);
        try {
          nc.publish(subject, payload, { reply: `${inbox}.${token}`, headers });
        } catch (err) {
          waiting.delete(token);
          reject(new SinkUnavailableError(`NATS publish failed: ${(err as Error).message}`, 2, { cause: err }));
        }
      }));
      const all = Promise.all(acks);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          for (const token of tokens) waiting.delete(token);
          reject(new SinkUnavailableError(`no JetStream ack within ${timeoutMs} ms`, 2));
        }, timeoutMs);
      });
      return Promise.race([all, timedOut]).finally(() => {
        clearTimeout(timer);
        for (const token of tokens) waiting.delete(token);
      });
    },
    close() {
      subscription.unsubscribe();
      for (const waiter of waiting.values()) waiter.reject(new SinkUnavailableError('NATS connection closed', 2));
      waiting.clear();
    },
  };
}
