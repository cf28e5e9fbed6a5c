import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { CodedError } from "../../shared/errors";
import { failedMessageIds } from "./batch-response";
import { type DeleteFailure, deleteRecords } from "./delete-batch";
import { createLambdaContext } from "./lambda-context";
import { recordFromMessage } from "./sqs-record";

export { recordFromMessage } from "./sqs-record";

// Anything shaped like a Lambda SQS handler; `void` covers handlers that do not report failures.
// biome-ignore lint/suspicious/noConfusingVoidType: a Lambda handler may return nothing
type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface EventSourceMappingOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsHandler;
  /** Used for the Lambda context (`functionName`, ARN, log group). */
  functionName: string;
  /** The function's timeout: past it the invocation counts as failed and the batch is left. */
  functionTimeoutMs: number;
  /** 1–10 (default 10). */
  batchSize?: number;
  /** `MaximumBatchingWindowInSeconds`, in ms: keep receiving until the batch is full or this elapses (default 0). */
  batchingWindowMs?: number;
  /** Long-poll wait, 0–20 s (default 20); `stop()` aborts it. */
  waitTimeSeconds?: number;
  /** Sent with each receive; default: the queue's own visibility timeout. */
  visibilityTimeoutSeconds?: number;
  /** Parallel pollers, each invoking the handler with its own batches (default 1). */
  concurrency?: number;
  /** Pause after a failed receive (default 1000 ms). */
  retryDelayMs?: number;
  /** Default: `GetQueueAttributes(QueueArn)` at start. */
  queueArn?: string;
  /** Default: the SQS client's region. */
  region?: string;
  onBatch?: (report: BatchReport) => void;
  onRecord?: (report: RecordReport) => void;
  /** Receive and delete errors (the poller keeps going). */
  onError?: (error: unknown) => void;
}

/**
 * `success`: all deleted; `partial`: some records reported failed; `failure`: all reported failed;
 * `error`: the handler threw; `timeout`: past the function timeout; `invalid_response`: a failure
 * identifier Lambda would reject. In the last four cases nothing but succeeded records is deleted.
 */
export type BatchOutcome = "success" | "partial" | "failure" | "error" | "timeout" | "invalid_response";

export interface BatchReport {
  functionName: string;
  requestId: string;
  size: number;
  outcome: BatchOutcome;
  /** Message ids deleted from the queue. */
  deleted: string[];
  /** Message ids left for the visibility timeout (failed, or refused by DeleteMessageBatch). */
  left: string[];
  /** DeleteMessageBatch entries that came back failed (SQS answers 200 with failures). */
  deleteFailures: DeleteFailure[];
  error?: unknown;
  durationMs: number;
}

export interface RecordReport {
  functionName: string;
  messageId: string;
  receiveCount: number;
  deleted: boolean;
}

export interface EventSourceMappingStats {
  batches: number;
  received: number;
  deleted: number;
  left: number;
  errors: number;
}

export interface EventSourceMapping {
  /** Stops polling (aborting long polls at once) and waits for in-flight batches to finish. */
  stop(): Promise<void>;
  readonly stats: Readonly<EventSourceMappingStats>;
}

/** The handler ran past the function's timeout, as Lambda reports it. */
export class FunctionTimeoutError extends CodedError {
  constructor(timeoutMs: number) {
    super("function_timeout", `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}

/**
 * Polls an SQS queue and invokes a handler the way Lambda's SQS event source mapping does, for
 * the local runtime and the integration tests: long polling, batches of up to `batchSize` gathered
 * for up to `batchingWindowMs`, records shaped as Lambda builds them, a `Context` with a deadline,
 * `ReportBatchItemFailures` semantics (only succeeded records are deleted; failed ones reappear
 * after the visibility timeout; a throw or a timeout leaves the whole batch). Dead-lettering is the
 * queue's redrive policy, as in AWS.
 *
 * Differences from Lambda: a timed-out handler is not killed (its promise keeps running in this
 * process), and a long poll aborted by `stop()` may have taken a message that then stays
 * invisible until its visibility timeout.
 *
 * @example
 * const mapping = await startEventSourceMapping({
 *   sqs, queueUrl, handler, functionName: "archive", functionTimeoutMs: 30_000, batchSize: 10,
 * });
 * await mapping.stop();
 */
export async function startEventSourceMapping(
  options: EventSourceMappingOptions,
): Promise<EventSourceMapping> {
  const { batchSize, waitTimeSeconds } = checkedSizes(options);
  const controller = new AbortController();
  const stats: EventSourceMappingStats = { batches: 0, received: 0, deleted: 0, left: 0, errors: 0 };
  const poller: Poller = {
    options,
    batchSize,
    waitTimeSeconds,
    windowMs: options.batchingWindowMs ?? 0,
    region: options.region ?? (await options.sqs.config.region()),
    queueArn: options.queueArn ?? (await fetchQueueArn(options.sqs, options.queueUrl)),
    signal: controller.signal,
    stats,
    reportError: (error) => {
      stats.errors++;
      options.onError?.(error);
    },
  };
  const loops = Array.from({ length: options.concurrency ?? 1 }, () => pollLoop(poller));
  return {
    stats,
    stop: async () => {
      controller.abort();
      await Promise.all(loops);
    },
  };
}

/** What every step of a running mapping reads. */
interface Poller {
  options: EventSourceMappingOptions;
  batchSize: number;
  waitTimeSeconds: number;
  windowMs: number;
  region: string;
  queueArn: string;
  /** Aborted by `stop()`. */
  signal: AbortSignal;
  stats: EventSourceMappingStats;
  reportError(error: unknown): void;
}

function checkedSizes(options: EventSourceMappingOptions): { batchSize: number; waitTimeSeconds: number } {
  const batchSize = options.batchSize ?? 10;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new RangeError("batchSize must be an integer from 1 to 10");
  }
  const waitTimeSeconds = options.waitTimeSeconds ?? 20;
  if (!Number.isInteger(waitTimeSeconds) || waitTimeSeconds < 0 || waitTimeSeconds > 20) {
    throw new RangeError("waitTimeSeconds must be an integer from 0 to 20");
  }
  return { batchSize, waitTimeSeconds };
}

/** Collects a batch and invokes the handler with it, until `stop()`; a failed receive pauses. */
async function pollLoop(p: Poller): Promise<void> {
  while (!p.signal.aborted) {
    let messages: Message[];
    try {
      messages = await collectBatch(p);
    } catch (error) {
      if (p.signal.aborted) break;
      p.reportError(error);
      await sleep(p.options.retryDelayMs ?? 1000, p.signal);
      continue;
    }
    if (messages.length > 0) await invokeBatch(p, messages);
  }
}

async function receive(p: Poller, max: number, wait: number): Promise<Message[]> {
  const output = await p.options.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: p.options.queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: wait,
      VisibilityTimeout: p.options.visibilityTimeoutSeconds,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
    { abortSignal: p.signal },
  );
  return output.Messages ?? [];
}

/** One batch: a long poll for the first messages, then short polls until full or the window ends. */
async function collectBatch(p: Poller): Promise<Message[]> {
  const messages = await receive(p, p.batchSize, p.waitTimeSeconds);
  if (messages.length === 0 || p.windowMs <= 0) return messages;
  const end = performance.now() + p.windowMs;
  while (messages.length < p.batchSize && !p.signal.aborted) {
    const remaining = end - performance.now();
    if (remaining <= 0) break;
    const wait = Math.min(20, Math.floor(remaining / 1000));
    try {
      const more = await receive(p, p.batchSize - messages.length, wait);
      addReceived(messages, more);
      if (more.length === 0 && wait === 0) await sleep(Math.min(remaining, 50), p.signal);
    } catch (error) {
      // Messages already in hand are invoked, as Lambda would; only the extra poll is lost.
      if (!p.signal.aborted) p.reportError(error);
      break;
    }
  }
  return messages;
}

/**
 * A window longer than the visibility timeout can return a message twice; only the newest
 * receipt handle can delete it.
 */
function addReceived(messages: Message[], more: readonly Message[]): void {
  for (const message of more) {
    const index = messages.findIndex((held) => held.MessageId === message.MessageId);
    if (index >= 0) messages[index] = message;
    else messages.push(message);
  }
}

/** Invokes the handler with one batch, deletes what succeeded, and reports. */
async function invokeBatch(p: Poller, messages: Message[]): Promise<void> {
  const started = performance.now();
  const { options, stats } = p;
  const records = messages.map((message) =>
    recordFromMessage(message, { queueArn: p.queueArn, region: p.region }),
  );
  const context = createLambdaContext({
    functionName: options.functionName,
    timeoutMs: options.functionTimeoutMs,
    region: p.region,
  });
  stats.batches++;
  stats.received += records.length;
  const result = await runHandler(options, records, context);
  const { failed } = result;
  const succeeded = failed === "all" ? [] : records.filter((r) => !failed.has(r.messageId));
  const deletion = await deleteRecords(options.sqs, options.queueUrl, succeeded, p.reportError);
  const deletedIds = new Set(deletion.deleted);
  const left = records.filter((r) => !deletedIds.has(r.messageId)).map((r) => r.messageId);
  stats.deleted += deletion.deleted.length;
  stats.left += left.length;
  for (const record of records) {
    options.onRecord?.({
      functionName: options.functionName,
      messageId: record.messageId,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      deleted: deletedIds.has(record.messageId),
    });
  }
  options.onBatch?.({
    functionName: options.functionName,
    requestId: context.awsRequestId,
    size: records.length,
    outcome: result.outcome,
    ...deletion,
    left,
    error: result.error,
    durationMs: Math.round(performance.now() - started),
  });
}

interface HandlerResult {
  /** The failed message ids, or "all" (a throw, a timeout, an invalid response). */
  failed: Set<string> | "all";
  outcome: BatchOutcome;
  error?: unknown;
}

/** Runs the handler within the function timeout and reads its partial batch response. */
async function runHandler(
  options: EventSourceMappingOptions,
  records: SQSRecord[],
  context: Context,
): Promise<HandlerResult> {
  try {
    const response = await withTimeout(
      options.handler({ Records: records }, context),
      options.functionTimeoutMs,
    );
    const failed = failedMessageIds(response, records);
    return { failed, outcome: batchOutcome(failed, records.length) };
  } catch (error) {
    return { failed: "all", outcome: error instanceof FunctionTimeoutError ? "timeout" : "error", error };
  }
}

function batchOutcome(failed: Set<string> | "all", size: number): BatchOutcome {
  if (failed === "all") return "invalid_response";
  if (failed.size === 0) return "success";
  return failed.size === size ? "failure" : "partial";
}

async function fetchQueueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const output = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  const arn = output.Attributes?.QueueArn;
  if (!arn) throw new Error(`Queue ${queueUrl} has no QueueArn`);
  return arn;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(timeoutMs)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
