import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";

/** fauxqs's inspection API, as far as the snapshot needs it. */
export interface InspectableQueues {
  inspectQueue(name: string):
    | {
        messages: {
          ready: QueuedMessage[];
          delayed: QueuedMessage[];
          inflight: { message: QueuedMessage }[];
        };
      }
    | undefined;
}

interface QueuedMessage {
  body: string;
  messageAttributes: Record<string, { DataType: string; StringValue?: string }>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
}

interface SnapshotEntry {
  queue: string;
  body: string;
  attributes: QueuedMessage["messageAttributes"];
  groupId?: string;
  deduplicationId?: string;
}

/**
 * The embedded SQS emulator keeps messages in memory only. The local runtime therefore writes
 * every message still in a queue (ready, delayed or in flight, DLQs included) to a file when it
 * stops, and sends them again when it starts. In-flight messages may already have been
 * processed: consumers are idempotent, so a second delivery has no second effect.
 *
 * @example
 * saveQueueSnapshot(fauxqs, ["archive", "archive-dlq"], ".data/queues.json") // 3 messages saved
 */
export function saveQueueSnapshot(
  server: InspectableQueues,
  queueNames: readonly string[],
  path: string,
): number {
  const entries: SnapshotEntry[] = [];
  for (const queue of queueNames) {
    const state = server.inspectQueue(queue);
    if (!state) continue;
    const { ready, delayed, inflight } = state.messages;
    for (const message of [...inflight.map((i) => i.message), ...ready, ...delayed]) {
      entries.push({
        queue,
        body: message.body,
        attributes: message.messageAttributes,
        groupId: message.messageGroupId,
        deduplicationId: message.messageDeduplicationId,
      });
    }
  }
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, JSON.stringify(entries));
  renameSync(temporary, path);
  return entries.length;
}

/** Sends a saved snapshot's messages back to their queues, then removes the file. */
export async function restoreQueueSnapshot(
  sqs: SQSClient,
  urls: ReadonlyMap<string, string>,
  path: string,
): Promise<number> {
  if (!existsSync(path)) return 0;
  const entries = JSON.parse(readFileSync(path, "utf8")) as SnapshotEntry[];
  let restored = 0;
  for (let i = 0; i < entries.length; i += 10) {
    const batch = entries.slice(i, i + 10).filter((entry) => urls.has(entry.queue));
    const byQueue = new Map<string, SnapshotEntry[]>();
    for (const entry of batch) byQueue.set(entry.queue, [...(byQueue.get(entry.queue) ?? []), entry]);
    for (const [queue, group] of byQueue) {
      const output = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: urls.get(queue),
          Entries: group.map((entry, n) => ({
            Id: String(n),
            MessageBody: entry.body,
            MessageAttributes: entry.attributes,
            MessageGroupId: entry.groupId,
            MessageDeduplicationId: entry.deduplicationId,
          })),
        }),
      );
      if (output.Failed?.length)
        throw new Error(`could not restore ${output.Failed.length} messages to ${queue}`);
      restored += group.length;
    }
  }
  rmSync(path);
  return restored;
}
