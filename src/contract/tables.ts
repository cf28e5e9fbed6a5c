/**
 * Keys and indexes of the two DynamoDB tables, as the stack declares them, the local runtime
 * creates them and the consumers query them.
 */

/** The archive: one item per event, keyed on its id. */
export const ARCHIVE_KEY = "id";
/** Sort key of every archive index: newest first is a descending query on it. */
export const ARCHIVE_SORT_KEY = "receivedat";
/**
 * Where each consumer's last failure is kept on an archived event (a map by consumer name): the
 * one attribute besides the key that every consumer's role may update.
 */
export const ARCHIVE_FAILURES_ATTRIBUTE = "failures";
/** The archive's TTL attribute: epoch seconds, `receivedat` plus the retention (`ARCHIVE_RETENTION_DAYS`). */
export const ARCHIVE_EXPIRY_ATTRIBUTE = "expiresat";

/**
 * The archive's one secondary index: events per day (`YYYY-MM-DD`), by `receivedat`. Listings by
 * type or source read the days of the range (default: the retention) and filter on the projected
 * summary: every index costs a write unit per event (three indexes were 47% of the archive's
 * DynamoDB writes), while listings are rare and read ~100-byte index items.
 */
export const ARCHIVE_INDEXES = {
  byDay: { name: "by-day", hashKey: "day" },
} as const;

/**
 * The summary attributes the archive index projects besides the keys (`INCLUDE`): enough to
 * filter a listing by type and source and to show it, at one write unit per item. The event
 * itself (compressed) is read from the table by id, only for the items a listing returns.
 */
export const ARCHIVE_SUMMARY_ATTRIBUTES = ["type", "source", "subject", "time"] as const;

/**
 * What an index projects besides its own keys and the table's: {@link ARCHIVE_SUMMARY_ATTRIBUTES}
 * without the index's hash key (a key cannot be listed again).
 *
 * @example
 * archiveIndexProjection(ARCHIVE_INDEXES.byType) // ["source", "subject", "time"]
 */
export function archiveIndexProjection(index: { hashKey: string }): string[] {
  return ARCHIVE_SUMMARY_ATTRIBUTES.filter((name) => name !== index.hashKey);
}

/** Powertools idempotency records: hash key and TTL attribute (Powertools' defaults, named). */
export const IDEMPOTENCY_KEY = "id";
export const IDEMPOTENCY_EXPIRY_ATTRIBUTE = "expiration";
