// NATS JetStream sink: stream `FEEDPULSE` on `feedpulse.>` (created if missing, file storage),
// subject `feedpulse.<project>.<type>`, `Nats-Msg-Id` = event id so the stream drops resends inside
// its duplicate window (an ack with `duplicate: true` is counted as a duplicate). A local bounded id
// index remembers ids beyond that window and across restarts. Writes resolve on publish acks.
import type { NatsConnection } from 'nats';
import { createJetStreamPublisher, type JetStreamPublisher } from './jetstream-publish.js';
import { join } from 'node:path';
import { openIdJournal, type IdJournal, type IdSync } from '../id-journal.js';
import { NATS_NEEDED_BY, importPeer } from '../peer.js';
import { SinkUnavailableError } from '../errors.js';
import type { Sink } from '../types.js';
import { routingKeyOf } from './subject.js';
import { backoffMs } from '../../server/backoff.js';
import { settleWithin, CLOSE_WAIT_MS } from '../../server/settle.js';
import { SINK_RECONNECT } from './reconnect-timing.js';
import type { Logger } from '../../server/logger.js';

export interface NatsSinkOptions {
  url: string;
  dataDir: string;
  /** Stream name (default `FEEDPULSE`) and subject prefix (default `feedpulse`). */
  stream?: string;
  subjectPrefix?: string;
  /** Stream duplicate window when the collector creates the stream (default 2 minutes). */
  duplicateWindowMs?: number;
  /** How long to wait for one publish ack (default 5 s). */
  ackTimeoutMs?: number;
  /** Ids remembered for dedupe (default 1,000,000). */
  idCapacity?: number;
  /** Id index fdatasync: true = before the 200, ms = in the background within that time (default 1000), false = at rotation/close only. */
  idSync?: IdSync;
  log?: Logger;
}

/** How often the client pings the server (ms); see the connect options below. */
export const NATS_PING_INTERVAL_MS = 5000;

export function createNatsSink(options: NatsSinkOptions): Sink {
  const streamName = options.stream ?? 'FEEDPULSE';
  const prefix = options.subjectPrefix ?? 'feedpulse';
  const log = options.log ?? (() => undefined);
  let connection: NatsConnection | undefined;
  let js: JetStreamPublisher | undefined;
  let up = false;
  let journal: IdJournal | undefined;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let connecting: Promise<void> | undefined;

  const scheduleConnect = () => {
    if (closed || timer || connection) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connectOnce();
    }, Math.round(backoffMs(attempt++, SINK_RECONNECT)));
    timer.unref();
  };

  function connectOnce(): Promise<void> {
    connecting ??= (async () => {
      try {
        const servers = options.url.split(',').map((s) => s.trim());
        // Loaded on first use, so a collector on the embedded sink never loads nats.
        const { connect, StorageType, nanos, createInbox, headers } = await importPeer('nats', NATS_NEEDED_BY, () => import('nats'));
        const nc = await connect({
          servers,
          timeout: 3000,
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 250,
          reconnectJitter: 250,
          // A server gone silent without closing the connection is noticed after maxPingOut
          // unanswered pings: with nats.js's default 2-minute interval that took minutes of "ok"
          // health and 503s after sinkTimeoutMs; now about 10-15 s.
          pingInterval: NATS_PING_INTERVAL_MS,
          maxPingOut: 2,
          ignoreClusterUpdates: true,
          name: 'feedpulse-collector',
          noAsyncTraces: true, // no Error (stack capture) per publish: it was the hottest cost
        });
        try {
          const jsm = await nc.jetstreamManager();
          await jsm.streams.info(streamName).catch(async () => {
            await jsm.streams.add({
              name: streamName,
              subjects: [`${prefix}.>`],
              storage: StorageType.File,
              duplicate_window: nanos(options.duplicateWindowMs ?? 120_000),
            });
          });
        } catch (err) {
          await nc.close().catch(() => undefined); // e.g. JetStream not enabled: try again later
          throw err;
        }
        if (closed) {
          await nc.close();
          return;
        }
        connection = nc;
        js = createJetStreamPublisher(nc, { createInbox, headers });
        up = true;
        attempt = 0;
        log({ msg: 'sink_up', sink: 'nats' });
        void watchStatus(nc);
        const publisher = js;
        void nc.closed().then(() => {
          publisher.close();
          if (connection !== nc) return;
          connection = undefined;
          js = undefined;
          up = false;
          scheduleConnect();
        });
      } catch (err) {
        log({ msg: 'sink_connect_failed', sink: 'nats', error: (err as Error).message });
        scheduleConnect();
      } finally {
        connecting = undefined;
      }
    })();
    return connecting;
  }

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
    await connectOnce();
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
        if (!connection && !connecting) scheduleConnect();
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
      closed = true;
      if (timer) clearTimeout(timer);
      await connecting;
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
