import type { ArchiveStore } from "./archive-store";
import type { Consumer } from "./types";

/**
 * The archive consumer: every event, stored once in the event store (first write wins, so a
 * rerun after a lost idempotency record cannot overwrite or duplicate it).
 *
 * @example
 * const consumer = createArchiveConsumer(new ArchiveStore(ddb, "archive"));
 * export const handler = createConsumerHandler(consumer, { ddb, idempotencyTable: "idempotency", s3 });
 */
export function createArchiveConsumer(store: ArchiveStore, name = "archive"): Consumer {
  return {
    name,
    filter: {},
    handler: async (event, context) => {
      const written = await store.put(event, { dataref: context.dataref });
      if (!written) context.logger.info("Event already archived", { id: event.id });
    },
  };
}
