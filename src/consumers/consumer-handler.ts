import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from "@aws-lambda-powertools/batch";
import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import { type Logger, LogLevelThreshold } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { type GatewayEvent, idempotencyId, REPROCESS_EXTENSION } from "../contract/event";
import { parseEventBody } from "../contract/parse-event";
import type { ArchivedFailure } from "./archive-store";
import { BatchCopies, isInProgressError } from "./batch-copies";
import { resolveClaimCheck } from "./claim-check";
import { describeFailure } from "./errors";
import { compileFilter } from "./filter";
import { createIdempotency, type Idempotency } from "./idempotency";
import { retryInProgressSoon } from "./in-progress-retry";
import { defaultObservability, publishCounts } from "./observability";
import type { Consumer, OutcomeStatus, RecordOutcome, SqsConsumerHandler } from "./types";

export interface ConsumerHandlerOptions {
  /** DynamoDB client for the idempotency table (built once, at cold start). */
  ddb: DynamoDBClient;
  idempotencyTable: string;
  /** Replaces the idempotency table (`ddb` is then not used for it): the test kit's in-memory store. */
  idempotencyStore?: BasePersistenceLayer;
  /** Where failures are recorded for people to read (the archive); best effort. */
  failureLog?: FailureLog;
  /** Default and minimum: `IDEMPOTENCY_TTL_SECONDS` (src/contract/limits.ts, 7 days). */
  idempotencyTtlSeconds?: number;
  /** S3 client for claim checks; without one, a message with a `dataref` fails. */
  s3?: S3Client;
  /**
   * SQS client for the consumer's own queue: a record that meets another invocation's in-progress
   * record comes back within seconds (`ChangeMessageVisibility`) rather than after the visibility
   * timeout. Without one, it waits the timeout out.
   */
  sqs?: SQSClient;
  /** The consumer's queue URL; default: derived from each record's `eventSourceARN` (AWS). */
  queueUrl?: string;
  /** FIFO queue: records run in order, and a failure fails the rest of its message group. */
  fifo?: boolean;
  logger?: Logger;
  tracer?: Tracer;
  metrics?: Metrics;
  /** Called once per record with how it ended (the local runtime's counters, tests). */
  onOutcome?: (outcome: RecordOutcome) => void;
}

/** Keeps the last failure of each consumer with each event (`ArchiveStore` implements it). */
export interface FailureLog {
  recordFailure(eventId: string, consumer: string, failure: ArchivedFailure): Promise<unknown>;
}

type Counts = Record<"processed" | "failed" | "duplicate" | "filtered", number>;

/** What the idempotent function needs besides the event (never hashed: only `id` is). */
interface Run {
  ran: boolean;
  envelope: GatewayEvent;
  record: SQSRecord;
  lambdaContext: Context;
  log: RecordLog;
}

/**
 * A record's logger (its message id, and the event id as correlation id), made when first used:
 * a Powertools child logger builds a `Console` of its own, and most records log nothing at the
 * deployed level.
 */
class RecordLog {
  #logger: Logger | undefined;
  #correlationId: string | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly messageId: string,
  ) {}

  correlate(id: string): void {
    this.#correlationId = id;
    this.#logger?.setCorrelationId(id);
  }

  get logger(): Logger {
    if (!this.#logger) {
      this.#logger = this.parent.createChild({ persistentKeys: { messageId: this.messageId } });
      if (this.#correlationId !== undefined) this.#logger.setCorrelationId(this.#correlationId);
    }
    return this.#logger;
  }

  /** A DEBUG line, only built when the logger prints DEBUG (Powertools reads the environment on every call). */
  debug(message: string, fields: Record<string, unknown>): void {
    if (this.parent.level <= LogLevelThreshold.DEBUG) this.logger.debug(message, fields);
  }

  /** An INFO line, only built when the logger prints INFO. */
  info(message: string, fields: Record<string, unknown>): void {
    if (this.parent.level <= LogLevelThreshold.INFO) this.logger.info(message, fields);
  }
}

/**
 * Turns a consumer into an SQS-triggered Lambda handler with partial batch responses.
 *
 * Per record: parse the body (no event id: the record fails, and ends in the DLQ), skip events
 * outside the filter, then run the handler at most once per (consumer, event id) through
 * Powertools idempotency on DynamoDB, resolving an S3 claim check first. A stored result means a
 * duplicate (GitHub redelivery, Slack retry, SQS duplicate, replay): acknowledged, not rerun.
 *
 * @example
 * export const handler = createConsumerHandler(
 *   { name: "audit", filter: { types: ["com.github.*"] }, handler: async (event) => audit(event) },
 *   { ddb: new DynamoDBClient({}), idempotencyTable: "idempotency", s3: new S3Client({}) },
 * );
 */
export function createConsumerHandler(
  consumer: Consumer,
  options: ConsumerHandlerOptions,
): SqsConsumerHandler {
  const prepared = prepare(consumer, options);
  return async (event, context) => {
    prepared.idempotency.config.registerLambdaContext(context);
    prepared.logger.addContext(context);
    const counts: Counts = { processed: 0, failed: 0, duplicate: 0, filtered: 0 };
    return withSubsegment(prepared.tracer, consumer.name, async () => {
      try {
        return await processBatch(prepared, event, context, counts);
      } finally {
        publishCounts(prepared.metrics, consumer.name, counts);
      }
    });
  };
}

/** What a consumer's handler builds once, at cold start. */
interface Prepared {
  consumer: Consumer;
  options: ConsumerHandlerOptions;
  matches: (event: GatewayEvent) => boolean;
  /** Only when tracing is on. */
  tracer?: Tracer;
  metrics: Metrics;
  logger: Logger;
  idempotency: Idempotency;
  /** The consumer's handler, run at most once per key ({@link idempotencyId}: event id and reprocessing run). */
  once: (key: { id: string }, run: Run) => Promise<void>;
}

function prepare(consumer: Consumer, options: ConsumerHandlerOptions): Prepared {
  const run = async (_key: { id: string }, state: Run): Promise<void> => {
    // Only reached when no completed record exists: this flag is how a duplicate is told apart.
    state.ran = true;
    const envelope = state.envelope;
    const event = await resolveClaimCheck(options.s3, envelope);
    const result = await consumer.handler(event, {
      consumer: consumer.name,
      record: state.record,
      lambdaContext: state.lambdaContext,
      get logger() {
        return state.log.logger;
      },
      dataref: envelope.dataref,
    });
    if (result === "duplicate") state.ran = false;
  };
  const { tracer: loaded, metrics, logger: root } = defaultObservability(options);
  const tracer = loaded?.isTracingEnabled() ? loaded : undefined;
  if (tracer) {
    tracer.captureAWSv3Client(options.ddb);
    if (options.s3) tracer.captureAWSv3Client(options.s3);
    if (options.sqs) tracer.captureAWSv3Client(options.sqs);
  }
  const idempotency = createIdempotency({
    ddb: options.ddb,
    tableName: options.idempotencyTable,
    persistenceStore: options.idempotencyStore,
    keyPrefix: consumer.name,
    expiresAfterSeconds: options.idempotencyTtlSeconds,
  });
  return {
    consumer,
    options,
    matches: compileFilter(consumer.name, consumer.filter),
    tracer,
    metrics,
    logger: root.createChild({ persistentKeys: { consumer: consumer.name } }),
    idempotency,
    // A consumer idempotent by itself runs without an idempotency record (two writes saved per event).
    once: consumer.idempotent ? run : idempotency.wrap(run),
  };
}

/** What the records of one batch share. */
interface BatchState {
  counts: Counts;
  /** The first copy of each event id in the batch; later copies end as it did. */
  copies: BatchCopies;
  /** FIFO: message groups whose failed record comes back soon, with its delay in seconds. */
  soonGroups: Map<string, number>;
}

/**
 * Every record of the batch through {@link processRecord}, as a partial batch response. Copies of
 * one event run once ({@link BatchCopies}); a failure is reported item by item rather than thrown.
 */
async function processBatch(
  p: Prepared,
  event: SQSEvent,
  context: Context,
  counts: Counts,
): Promise<SQSBatchResponse> {
  const seen = new Set<string>();
  const batch: BatchState = { counts, copies: new BatchCopies(), soonGroups: new Map() };
  const handleRecord = (record: SQSRecord) => {
    seen.add(record.messageId);
    return processRecord(p, record, context, batch);
  };
  // A full-batch failure is reported item by item rather than thrown: same effect on the
  // queue (nothing is deleted), and every failed record stays visible in the response.
  const response = p.options.fifo
    ? await processPartialResponse(event, handleRecord, new SqsFifoPartialProcessorAsync(), {
        context,
        skipGroupOnError: true,
        throwOnFullBatchFailure: false,
      })
    : await processPartialResponse(event, handleRecord, new BatchProcessor(EventType.SQS), {
        context,
        processInParallel: true,
        throwOnFullBatchFailure: false,
      });
  const skipped = event.Records.filter(
    (record) =>
      !seen.has(record.messageId) &&
      response.batchItemFailures.some((failure) => failure.itemIdentifier === record.messageId),
  );
  for (const record of skipped) await reportSkipped(p, record, batch);
  return response;
}

/**
 * FIFO: a record after a failure in its message group is failed without being run. When that
 * failure comes back soon, so does the rest of the group, in order.
 */
async function reportSkipped(p: Prepared, record: SQSRecord, batch: BatchState): Promise<void> {
  const skipped = { messageId: record.messageId, reason: "FifoGroupSkipped", durationMs: 0 };
  const group = record.attributes.MessageGroupId;
  const soon = group === undefined ? undefined : batch.soonGroups.get(group);
  const retryInSeconds = soon === undefined ? undefined : await retrySoon(p, record, p.logger);
  report(p, { ...skipped, status: "failed", retryInSeconds }, batch.counts);
}

/** Parse, filter, run once; a failure is logged, reported and rethrown (the record fails). */
async function processRecord(p: Prepared, record: SQSRecord, lambdaContext: Context, batch: BatchState) {
  const started = performance.now();
  const log = new RecordLog(p.logger, record.messageId);
  let envelope: GatewayEvent | undefined;
  try {
    envelope = parseEventBody(record.body);
    log.correlate(envelope.id);
    if (!p.matches(envelope)) {
      log.debug("Event outside the filter, acknowledged", { type: envelope.type });
      report(p, outcomeOf(record, envelope, "filtered", started), batch.counts);
      return;
    }
    const run: Run = { ran: false, envelope, record, lambdaContext, log };
    const reprocess = envelope[REPROCESS_EXTENSION];
    const status = await runOnceInBatch(p, envelope, run, batch.copies);
    log.info(status === "processed" ? "Event processed" : "Duplicate event skipped", {
      type: envelope.type,
      reprocess,
    });
    report(p, outcomeOf(record, envelope, status, started), batch.counts);
  } catch (error) {
    const reason = errorName(error);
    let retryInSeconds: number | undefined;
    if (isInProgressError(error)) {
      retryInSeconds = await retrySoon(p, record, log.logger);
      const group = record.attributes.MessageGroupId;
      if (retryInSeconds !== undefined && group !== undefined) batch.soonGroups.set(group, retryInSeconds);
      log.info("Event is being processed elsewhere; the record will be retried", { reason, retryInSeconds });
    } else {
      log.logger.error("Record failed", { reason, error: error as Error });
      await recordFailure(p, envelope, record, error, log.logger);
    }
    const outcome = { ...outcomeOf(record, envelope, "failed", started), reason, error, retryInSeconds };
    report(p, outcome, batch.counts);
    throw error;
  }
}

/**
 * The first copy of an event in the batch runs the idempotent handler; a later copy ends as the
 * first one did (a duplicate, or the same failure) without touching the idempotency table.
 */
async function runOnceInBatch(
  p: Prepared,
  envelope: GatewayEvent,
  run: Run,
  copies: BatchCopies,
): Promise<"processed" | "duplicate"> {
  const claim = copies.claim(idempotencyId(envelope));
  if (!claim.first) {
    await claim.firstCopy;
    return "duplicate";
  }
  try {
    await p.once({ id: idempotencyId(envelope) }, run);
    claim.settle();
  } catch (error) {
    claim.settle(error);
    throw error;
  }
  return run.ran ? "processed" : "duplicate";
}

/**
 * Makes a record that met an in-progress record visible again within seconds; `undefined` when
 * there is no SQS client or the change failed (the record then waits out the visibility timeout).
 */
async function retrySoon(p: Prepared, record: SQSRecord, log: Logger): Promise<number | undefined> {
  const { sqs, queueUrl } = p.options;
  if (!sqs) return undefined;
  try {
    return await retryInProgressSoon({ sqs, queueUrl }, record);
  } catch (error) {
    log.warn("Could not shorten the record's visibility timeout", { error: error as Error });
    return undefined;
  }
}

/** Keeps the failure in the failure log (the archive), so a dead-lettered event says why. */
async function recordFailure(
  p: Prepared,
  envelope: GatewayEvent | undefined,
  record: SQSRecord,
  error: unknown,
  log: Logger,
): Promise<void> {
  if (!p.options.failureLog || !envelope) return;
  const failure: ArchivedFailure = {
    ...describeFailure(error),
    attempt: Number(record.attributes.ApproximateReceiveCount) || 1,
    at: new Date().toISOString(),
  };
  try {
    await p.options.failureLog.recordFailure(envelope.id, p.consumer.name, failure);
  } catch (logError) {
    log.warn("Could not record the failure in the archive", { reason: errorName(logError) });
  }
}

function report(p: Prepared, outcome: Omit<RecordOutcome, "consumer">, counts: Counts): void {
  counts[outcome.status]++;
  p.options.onOutcome?.({ consumer: p.consumer.name, ...outcome });
}

/** Runs `fn` in a `## <consumer>` subsegment when tracing is on. */
async function withSubsegment<T>(tracer: Tracer | undefined, name: string, fn: () => Promise<T>): Promise<T> {
  const segment = tracer?.getSegment();
  const subsegment = segment?.addNewSubsegment(`## ${name}`);
  if (tracer && subsegment) {
    tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.putAnnotation("consumer", name);
  }
  try {
    return await fn();
  } finally {
    if (tracer && segment && subsegment) {
      subsegment.close();
      tracer.setSegment(segment);
    }
  }
}

function outcomeOf(
  record: SQSRecord,
  event: GatewayEvent | undefined,
  status: OutcomeStatus,
  started: number,
): Omit<RecordOutcome, "consumer"> {
  return {
    messageId: record.messageId,
    eventId: event?.id,
    type: event?.type,
    status,
    durationMs: Math.round(performance.now() - started),
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "UnknownError";
}
