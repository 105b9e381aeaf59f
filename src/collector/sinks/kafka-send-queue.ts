// Group commit for the Kafka sink: at most `concurrency` produce calls in flight; requests that
// arrive meanwhile wait and go out together in the next call. The broker then handles a few large
// produce requests instead of one per HTTP request (it was the collector's bottleneck, not the
// collector's CPU). Each caller's promise settles with the call that carried its messages, so a
// request is answered 200 only once the broker acknowledged every one of its messages.
import type { Message } from 'kafkajs';

interface Waiting {
  messages: Message[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createSendQueue(send: (messages: Message[]) => Promise<void>, concurrency = 4, maxMessages = 2000) {
  const queue: Waiting[] = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < concurrency && queue.length) {
      const group: Waiting[] = [];
      let count = 0;
      while (queue.length && (group.length === 0 || count + queue[0]!.messages.length <= maxMessages)) {
        const next = queue.shift()!;
        group.push(next);
        count += next.messages.length;
      }
      inFlight++;
      send(group.flatMap((w) => w.messages)).then(
        () => group.forEach((w) => w.resolve()),
        (err: unknown) => group.forEach((w) => w.reject(err)),
      ).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (messages: Message[]): Promise<void> => new Promise<void>((resolve, reject) => {
    queue.push({ messages, resolve, reject });
    pump();
  });
}
