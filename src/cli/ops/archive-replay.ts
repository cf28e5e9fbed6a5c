import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ArchiveStore, ListEventsQuery } from "../../consumers/archive-store";
import { archivedEventMessage, type QueueMessage, sendMessageInput } from "../../consumers/queue-message";

export interface ReplayResult {
  sent: number;
  /** Events archived without their data and without a claim check: they cannot be rebuilt. */
  skipped: string[];
  failed: { id: string; message: string }[];
}

/**
 * Sends archived events to a consumer's queue, oldest first, any number of them (read from the
 * archive a page at a time; `limit` stops after that many), as the edge would
 * ({@link archivedEventMessage}): the event's JSON as the body (or the claim-check pointer for
 * events archived through one) with `type`, `source` and `provider` message attributes, and on a
 * FIFO queue the edge's message group (repository, organization or channel) and deduplication id.
 * The consumer's idempotency skips events it already processed (until their records expire);
 * with `reprocess`, each event carries the run and runs once more, and the run is counted in the
 * archive (`ArchiveStore.recordReprocess`).
 *
 * @example
 * await replayArchive({ archive, sqs, queueUrl, fifo: false, query: { type: "com.github.push" } })
 */
export async function replayArchive(options: {
  archive: ArchiveStore;
  sqs: SQSClient;
  queueUrl: string;
  fifo: boolean;
  query: ListEventsQuery;
  /** A reprocessing run id: each event carries it (see `REPROCESS_EXTENSION`) and is counted in the archive. */
  reprocess?: { run: string; consumer: string };
  /** Called after each event with the number handled so far (the total is not known ahead). */
  onProgress?: (done: number) => void;
}): Promise<ReplayResult> {
  const { limit, ...query } = options.query;
  const result: ReplayResult = { sent: 0, skipped: [], failed: [] };
  let done = 0;
  for await (const item of options.archive.eventsOldestFirst(query)) {
    if (limit !== undefined && done >= limit) break;
    const message = archivedEventMessage(item, options.reprocess?.run);
    if (message === undefined) result.skipped.push(item.event.id);
    else await send(options, message, result);
    options.onProgress?.(++done);
  }
  return result;
}

/** Sends one event's message (and counts a reprocessing run in the archive); a failure is recorded, not thrown. */
async function send(
  options: Parameters<typeof replayArchive>[0],
  message: QueueMessage,
  result: ReplayResult,
): Promise<void> {
  const id = message.event.id;
  try {
    await options.sqs.send(
      new SendMessageCommand(sendMessageInput(message, { url: options.queueUrl, fifo: options.fifo })),
    );
    result.sent++;
    if (options.reprocess) await options.archive.recordReprocess(id, options.reprocess);
  } catch (error) {
    result.failed.push({ id, message: (error as Error).message });
  }
}
