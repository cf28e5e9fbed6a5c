import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ArchiveStore, ListEventsQuery } from "../../consumers/archive-store";
import { type GatewayEvent, REPROCESS_EXTENSION, serializeClaimCheck, sqsSafe } from "../../contract/event";
import { eventGroupKey, fifoMessageIds } from "../../contract/fifo";

export interface ReplayResult {
  sent: number;
  /** Events archived without their data and without a claim check: they cannot be rebuilt. */
  skipped: string[];
  failed: { id: string; message: string }[];
}

/**
 * Sends archived events to a consumer's queue, oldest first, any number of them (read from the
 * archive a page at a time; `limit` stops after that many), as the edge would: the event's JSON
 * as the body (or the claim-check pointer for events archived through one) with `type`, `source`
 * and `provider` message attributes, and on a FIFO queue the edge's message group (repository,
 * organization or channel: {@link eventGroupKey}) and deduplication id. The consumer's idempotency
 * skips events it already processed (until their records expire).
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
    const event: GatewayEvent = options.reprocess
      ? ({ ...item.event, [REPROCESS_EXTENSION]: options.reprocess.run } as GatewayEvent)
      : item.event;
    const attributes = { type: event.type, source: event.source, provider: String(event.provider ?? "") };
    const { data: _data, ...envelope } = event;
    const dataref = item.dataref ?? (typeof event.dataref === "string" ? event.dataref : undefined);
    let body: string | undefined;
    if (!item.truncated) body = sqsSafe(JSON.stringify(event));
    else if (dataref)
      body = serializeClaimCheck(envelope as Parameters<typeof serializeClaimCheck>[0], dataref);
    if (body === undefined) {
      result.skipped.push(event.id);
    } else {
      try {
        await options.sqs.send(
          new SendMessageCommand({
            QueueUrl: options.queueUrl,
            MessageBody: body,
            MessageAttributes: Object.fromEntries(
              Object.entries(attributes).map(([k, v]): [string, MessageAttributeValue] => [
                k,
                { DataType: "String", StringValue: v },
              ]),
            ),
            ...(options.fifo && fifoParameters(event)),
          }),
        );
        result.sent++;
        if (options.reprocess) await options.archive.recordReprocess(event.id, options.reprocess);
      } catch (error) {
        result.failed.push({ id: event.id, message: (error as Error).message });
      }
    }
    options.onProgress?.(++done);
  }
  return result;
}

/** The edge's FIFO rule (src/contract/fifo.ts), as SendMessage parameters. */
function fifoParameters(event: GatewayEvent): { MessageGroupId: string; MessageDeduplicationId: string } {
  const ids = fifoMessageIds(eventGroupKey(event), event.id);
  return { MessageGroupId: ids.groupId, MessageDeduplicationId: ids.deduplicationId };
}
