import type { ArchiveStore } from "./archive-store";
import type { Consumer } from "./types";

/**
 * The archive consumer: every event, stored once in the event store. Its conditional put (first
 * write wins: `attribute_not_exists(id)`) is its idempotency, so it runs without a Powertools
 * idempotency record (two DynamoDB writes saved per event); an event already archived counts as a
 * duplicate and is neither overwritten nor duplicated.
 *
 * @example
 * const consumer = createArchiveConsumer(new ArchiveStore(ddb, "archive"));
 * export const handler = createConsumerHandler(consumer, { ddb, idempotencyTable: "idempotency", s3 });
 */
export function createArchiveConsumer(store: ArchiveStore, name = "archive"): Consumer {
  return {
    name,
    filter: {},
    idempotent: true,
    handler: async (event, context) => {
      const written = await store.put(event, { dataref: context.dataref });
      if (written) return;
      context.logger.info("Event already archived", { id: event.id });
      return "duplicate";
    },
  };
}
