import { DeleteMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";

/** A message `DeleteMessageBatch` did not delete (it will come back after its visibility timeout). */
export interface DeleteFailure {
  messageId: string;
  code?: string;
  message?: string;
}

export interface Deletion {
  /** Message ids deleted. */
  deleted: string[];
  deleteFailures: DeleteFailure[];
}

/**
 * Deletes records by receipt handle, ten per `DeleteMessageBatch`, as the event source mapping
 * does for the records a batch succeeded with. A 200 can carry failed entries; a failed call fails
 * its whole chunk (reported to `onError`). Neither stops the other chunks.
 *
 * @example
 * const { deleted, deleteFailures } = await deleteRecords(sqs, queueUrl, succeeded, console.error);
 */
export async function deleteRecords(
  sqs: SQSClient,
  queueUrl: string,
  records: readonly SQSRecord[],
  onError: (error: unknown) => void,
): Promise<Deletion> {
  const deletion: Deletion = { deleted: [], deleteFailures: [] };
  for (let start = 0; start < records.length; start += 10) {
    const chunk = records.slice(start, start + 10);
    try {
      await deleteChunk(sqs, queueUrl, chunk, deletion);
    } catch (caught) {
      onError(caught);
      for (const record of chunk)
        deletion.deleteFailures.push({ messageId: record.messageId, message: String(caught) });
    }
  }
  return deletion;
}

async function deleteChunk(
  sqs: SQSClient,
  queueUrl: string,
  chunk: readonly SQSRecord[],
  into: Deletion,
): Promise<void> {
  const output = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
    }),
  );
  // A 200 can still carry failed entries: those messages are not deleted and will return.
  const failedEntries = new Map((output.Failed ?? []).map((entry) => [entry.Id, entry]));
  chunk.forEach((record, index) => {
    const failure = failedEntries.get(String(index));
    if (failure) {
      into.deleteFailures.push({ messageId: record.messageId, code: failure.Code, message: failure.Message });
    } else {
      into.deleted.push(record.messageId);
    }
  });
}
