import type { Executor } from '../../database.js';
import type { DomainEventRow } from './schema.js';

export async function append(
  db: Executor,
  row: {
    uuid: string;
    event_type: string;
    aggregate_uuid: string;
    payload: Record<string, unknown>;
    now: Date;
  },
): Promise<void> {
  await db
    .insertInto('domain_events')
    .values({
      uuid: row.uuid,
      event_type: row.event_type,
      aggregate_uuid: row.aggregate_uuid,
      payload: JSON.stringify(row.payload),
      occurred_at: row.now,
      published_at: null,
      created: row.now,
      modified: row.now,
    })
    .execute();
}

export async function ofAggregate(db: Executor, aggregateUuid: string): Promise<DomainEventRow[]> {
  return db
    .selectFrom('domain_events')
    .selectAll()
    .where('aggregate_uuid', '=', aggregateUuid)
    .orderBy('occurred_at')
    .orderBy('created')
    .execute();
}
