// NATS JetStream sink: stream `FEEDPULSE` on `feedpulse.>` (created if missing, file storage,
// bounded: src/server/brokers/nats.ts),
// subject `feedpulse.<project>.<type>`, `Nats-Msg-Id` = event id so the stream drops resends inside
// its duplicate window (an ack with `duplicate: true` is counted as a duplicate). A local bounded id
// index remembers ids beyond that window and across restarts. Writes resolve on publish acks.
import type { NatsConnection } from 'nats';
import { createJetStreamPublisher, type JetStreamPublisher } from './jetstream-publish.js';
import { join } from 'node:path';
import { openIdJournal, type IdJournal, type IdSync } from '../id-journal.js';
import { SinkUnavailableError } from '../errors.js';
import type { Sink } from '../types.js';
import { routingKeyOf } from './subject.js';
import { settleWithin, CLOSE_WAIT_MS } from '../../server/settle.js';
import { reconnecting } from '../../server/reconnect.js';
import { connectNats, ensureStream, loadNats, STREAM_DEFAULTS, type StreamSettings } from '../../server/brokers/nats.js';
import { SINK_RECONNECT } from './reconnect-timing.js';
import type { Logger } from '../../server/logger.js';

export { NATS_PING_INTERVAL_MS } from '../../server/brokers/nats.js';

export interface NatsSinkOptions extends StreamSettings {
  /** `nats://host:4222`, or several servers comma-separated. */
  url: string;
  dataDir: string;
  /** How long to wait for one publish ack (default 5 s). */
  ackTimeoutMs?: number;
  /** Ids remembered for dedupe (default 1,000,000). */
  idCapacity?: number;
  /** Id index fdatasync: true = before the 200, ms = in the background within that time (default 1000), false = at rotation/close only. */
  idSync?: IdSync;
  log?: Logger;
}

export function createNatsSink(options: NatsSinkOptions): Sink {
  const prefix = options.subjectPrefix ?? STREAM_DEFAULTS.subjectPrefix;
  const log = options.log ?? (() => undefined);
  let connection: NatsConnection | undefined;
  let js: JetStreamPublisher | undefined;
  let up = false;
  let journal: IdJournal | undefined;

  async function connect(): Promise<{ nc: NatsConnection; publisher: JetStreamPublisher }> {
    const { createInbox, headers } = await loadNats();
    const nc = await connectNats(options.url, 'feedpulse-collector');
    try {
      await ensureStream(await nc.jetstreamManager(), options);
    } catch (err) {
      await nc.close().catch(() => undefined); // e.g. JetStream not enabled: try again later
      throw err;
    }
    return { nc, publisher: createJetStreamPublisher(nc, { createInbox, headers }) };
  }

  const reconnect = reconnecting(connect, ({ nc, publisher }) => {
    connection = nc;
    js = publisher;
    up = true;
    log({ msg: 'sink_up', sink: 'nats' });
    void watchStatus(nc);
    void nc.closed().then(() => {
      publisher.close();
      if (connection !== nc) return;
      connection = undefined;
      js = undefined;
      up = false;
      reconnect.retry();
    });
  }, {
    backoff: SINK_RECONNECT,
    onFailed: (err) => log({ msg: 'sink_connect_failed', sink: 'nats', error: err.message }),
    discard: ({ nc, publisher }) => { publisher.close(); return nc.close(); },
  });

  async function watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        up = false;
        log({ msg: 'sink_down', sink: 'nats', reason: 'disconnected' });
      } else if (status.type === 'reconnect') {
        up = true;
        log({ msg: 'sink_up', sink: 'nats' });
      }
    }
  }

  const ready = (async () => {
    journal = await openIdJournal(join(options.dataDir, 'nats-ids'), options.idCapacity, options.idSync);
    await reconnect.connect();
  })();
  ready.catch(() => undefined);

  return {
    kind: 'nats',
    ready,
    isUp: () => up,
    has: (id) => journal?.has(id) ?? false,
    stats: () => ({ dedupe_index_ids: journal?.size() ?? 0 }),
    async write(events) {
      await ready;
      const client = js;
      if (!client || !up) {
        if (!connection) reconnect.retry();
        throw new SinkUnavailableError('NATS is not connected: unreachable or refusing the collector (its log says why: sink_connect_failed)', 2);
      }
      const duplicateFlags = await client.publishBatch(
        events.map((event) => ({ subject: `${prefix}.${routingKeyOf(event.project, event.type)}`, payload: JSON.stringify(event), msgId: event.id })),
        options.ackTimeoutMs ?? 5000,
      );
      await journal!.add(events.map((e) => e.id));
      return { duplicateIds: events.filter((_, i) => duplicateFlags[i]).map((e) => e.id) };
    },
    async close() {
      await reconnect.close();
      const nc = connection;
      connection = undefined;
      js = undefined;
      up = false;
      // Bounded: draining waits for a server that may have gone silent.
      if (nc && !(await settleWithin(nc.drain(), CLOSE_WAIT_MS))) await settleWithin(nc.close(), 1000);
      await ready.catch(() => undefined);
      await journal?.close();
    },
  };
}
