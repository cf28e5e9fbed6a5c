import {
  type BatchResultErrorEntry,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { SQS_MAX_MESSAGE_BYTES } from "../contract/limits";
import { messageAttributes } from "../edge/adapters/sqs-queue";
import type { Deadline, OutboundMessage, QueuePort } from "../edge/ports";
import { CodedError } from "../shared/errors";

/** SQS takes at most ten messages per `SendMessageBatch`. */
const MAX_ENTRIES = 10;

/** SQS refused one message of a batch (`SendMessageBatch` answers 200 with failed entries). */
export class BatchEntryError extends CodedError {
  constructor(entry: BatchResultErrorEntry) {
    super(
      "sqs_batch_entry_failed",
      `SQS refused the message: ${entry.Code ?? "?"} ${entry.Message ?? ""}`.trim(),
    );
  }
}

interface Pending {
  entry: SendMessageBatchRequestEntry;
  resolve(): void;
  reject(error: unknown): void;
}

interface OpenBatch {
  entries: Pending[];
  bytes: number;
}

/**
 * The local runtime's {@link QueuePort}: sends that reach one queue in the same turn of the event
 * loop go out together in one `SendMessageBatch` (up to ten, within SQS's 1 MiB per request), the
 * way the SQS buffered client batches. Each `send` still resolves only once SQS accepted its own
 * message and rejects when its entry failed, so every request is answered exactly as with
 * `SqsQueue`. In Lambda each instance serves one request at a time and there is nothing to join:
 * the deployed edge uses `SqsQueue`. Locally every invocation shares one process, and this halves
 * the runtime's CPU per delivery under load (`npm run bench -- --only pipeline`).
 *
 * @example
 * const queue = new BatchingSqsQueue(sqs);
 * await Promise.all([queue.send(a, deadline), queue.send(b, deadline)]); // one SendMessageBatch
 */
export class BatchingSqsQueue implements QueuePort {
  readonly #open = new Map<string, OpenBatch>();
  #ids = 0;

  constructor(private readonly client: SQSClient) {}

  send(message: OutboundMessage, _deadline: Deadline): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry: SendMessageBatchRequestEntry = {
        Id: String(++this.#ids),
        MessageBody: message.body,
        MessageAttributes: messageAttributes(message),
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      };
      const bytes = messageBytes(entry);
      let batch = this.#open.get(message.queueUrl);
      if (batch && (batch.entries.length === MAX_ENTRIES || batch.bytes + bytes > SQS_MAX_MESSAGE_BYTES)) {
        this.#flush(message.queueUrl);
        batch = undefined;
      }
      if (!batch) {
        batch = { entries: [], bytes: 0 };
        this.#open.set(message.queueUrl, batch);
        const queueUrl = message.queueUrl;
        const opened = batch;
        setImmediate(() => {
          if (this.#open.get(queueUrl) === opened) this.#flush(queueUrl);
        });
      }
      batch.entries.push({ entry, resolve, reject });
      batch.bytes += bytes;
    });
  }

  #flush(queueUrl: string): void {
    const batch = this.#open.get(queueUrl);
    if (!batch) return;
    this.#open.delete(queueUrl);
    void sendBatch(this.client, queueUrl, batch.entries);
  }
}

async function sendBatch(client: SQSClient, queueUrl: string, pending: readonly Pending[]): Promise<void> {
  try {
    const output = await client.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending.map((p) => p.entry) }),
    );
    const failed = new Map((output.Failed ?? []).map((f) => [f.Id, f]));
    const succeeded = new Set((output.Successful ?? []).filter((s) => s.MessageId).map((s) => s.Id));
    for (const p of pending) {
      const failure = failed.get(p.entry.Id);
      if (failure) p.reject(new BatchEntryError(failure));
      // A 200 without this entry's message id is not an acceptance.
      else if (succeeded.has(p.entry.Id)) p.resolve();
      else p.reject(new Error("SQS answered without a MessageId for the message"));
    }
  } catch (error) {
    for (const p of pending) p.reject(error);
  }
}

/** A message's size as SQS counts it: the body and each attribute's name, type and value. */
function messageBytes(entry: SendMessageBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.MessageBody ?? "");
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? "");
    bytes += Buffer.byteLength(value.StringValue ?? "");
  }
  return bytes;
}
