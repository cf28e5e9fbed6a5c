/**
 * Keys and indexes of the two DynamoDB tables, as the stack declares them, the local runtime
 * creates them and the consumers query them.
 */

/** The archive: one item per event, keyed on its id. */
export const ARCHIVE_KEY = "id";
/** Sort key of every archive index: newest first is a descending query on it. */
export const ARCHIVE_SORT_KEY = "receivedat";
/** Items may carry it to age out (TTL attribute). */
export const ARCHIVE_EXPIRY_ATTRIBUTE = "expiresat";

/** The archive's secondary indexes: events per source, per type, per day (`YYYY-MM-DD`). */
export const ARCHIVE_INDEXES = {
  bySource: { name: "by-source", hashKey: "source" },
  byType: { name: "by-type", hashKey: "type" },
  byDay: { name: "by-day", hashKey: "day" },
} as const;

/** Powertools idempotency records: hash key and TTL attribute (Powertools' defaults, named). */
export const IDEMPOTENCY_KEY = "id";
export const IDEMPOTENCY_EXPIRY_ATTRIBUTE = "expiration";
