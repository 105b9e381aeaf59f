// until db-worker lands: a source whose every batch is first written to the analysis database
// (writeBatch, one transaction), then handed on to the in-memory consumer, so the dashboard can
// read its figures from the database while the consumer still keeps the alerts and checkpoints.
import type { ConsumerSource } from '../sources/source';
import type { Database } from './database';
import { writeBatch } from './write';

export function writingTo(db: Database, source: ConsumerSource, maxProjects?: number): ConsumerSource {
  return {
    kind: source.kind, id: source.id, description: source.description,
    start: (position, deliver) => source.start(position, async (batch) => {
      await db.transaction((tx) => writeBatch(tx, batch.map((delivery) => delivery.event), { maxProjects }));
      await deliver(batch);
    }),
    stop: () => source.stop(),
    close: () => source.close(),
  };
}
