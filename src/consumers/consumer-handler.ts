import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from "@aws-lambda-powertools/batch";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { GatewayEvent } from "../contract/event";
import { parseEventBody } from "../contract/parse-event";
import { resolveClaimCheck } from "./claim-check";
import { compileFilter } from "./filter";
import { createIdempotency, type Idempotency } from "./idempotency";
import { defaultObservability, publishCounts } from "./observability";
import type { Consumer, OutcomeStatus, RecordOutcome, SqsConsumerHandler } from "./types";

export interface ConsumerHandlerOptions {
  /** DynamoDB client for the idempotency table (built once, at cold start). */
  ddb: DynamoDBClient;
  idempotencyTable: string;
  /** Default and minimum: `IDEMPOTENCY_TTL_SECONDS` (src/contract/limits.ts, 7 days). */
  idempotencyTtlSeconds?: number;
  /** S3 client for claim checks; without one, a message with a `dataref` fails. */
  s3?: S3Client;
  /** FIFO queue: records run in order, and a failure fails the rest of its message group. */
  fifo?: boolean;
  logger?: Logger;
  tracer?: Tracer;
  metrics?: Metrics;
  /** Called once per record with how it ended (the local runtime's counters, tests). */
  onOutcome?: (outcome: RecordOutcome) => void;
}

type Counts = Record<"processed" | "failed" | "duplicate" | "filtered", number>;

/** What the idempotent function needs besides the event (never hashed: only `id` is). */
interface Run {
  ran: boolean;
  record: SQSRecord;
  lambdaContext: Context;
  logger: Logger;
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
  /** The consumer's handler, run at most once per event id. */
  once: (envelope: GatewayEvent, run: Run) => Promise<void>;
}

function prepare(consumer: Consumer, options: ConsumerHandlerOptions): Prepared {
  const run = async (envelope: GatewayEvent, state: Run): Promise<void> => {
    // Only reached when no completed record exists: this flag is how a duplicate is told apart.
    state.ran = true;
    const event = await resolveClaimCheck(options.s3, envelope);
    const result = await consumer.handler(event, {
      consumer: consumer.name,
      record: state.record,
      lambdaContext: state.lambdaContext,
      logger: state.logger,
      dataref: envelope.dataref,
    });
    if (result === "duplicate") state.ran = false;
  };
  const { tracer: loaded, metrics, logger: root } = defaultObservability(options);
  const tracer = loaded?.isTracingEnabled() ? loaded : undefined;
  if (tracer) {
    tracer.captureAWSv3Client(options.ddb);
    if (options.s3) tracer.captureAWSv3Client(options.s3);
  }
  const idempotency = createIdempotency({
    ddb: options.ddb,
    tableName: options.idempotencyTable,
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

/** Every record of the batch through {@link processRecord}, as a partial batch response. */
async function processBatch(
  p: Prepared,
  event: SQSEvent,
  context: Context,
  counts: Counts,
): Promise<SQSBatchResponse> {
  const seen = new Set<string>();
  const handleRecord = (record: SQSRecord) => {
    seen.add(record.messageId);
    return processRecord(p, record, context, counts);
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
  // FIFO: records after a failure in the same group are failed without being run.
  for (const failure of response.batchItemFailures) {
    if (seen.has(failure.itemIdentifier)) continue;
    const skipped = { messageId: failure.itemIdentifier, reason: "FifoGroupSkipped", durationMs: 0 };
    report(p, { ...skipped, status: "failed" }, counts);
  }
  return response;
}

/** Parse, filter, run once; a failure is logged, reported and rethrown (the record fails). */
async function processRecord(p: Prepared, record: SQSRecord, lambdaContext: Context, counts: Counts) {
  const started = performance.now();
  const log = p.logger.createChild({ persistentKeys: { messageId: record.messageId } });
  let envelope: GatewayEvent | undefined;
  try {
    envelope = parseEventBody(record.body);
    log.setCorrelationId(envelope.id);
    if (!p.matches(envelope)) {
      log.debug("Event outside the filter, acknowledged", { type: envelope.type });
      report(p, outcomeOf(record, envelope, "filtered", started), counts);
      return;
    }
    const run: Run = { ran: false, record, lambdaContext, logger: log };
    await p.once(envelope, run);
    log.info(run.ran ? "Event processed" : "Duplicate event skipped", { type: envelope.type });
    report(p, outcomeOf(record, envelope, run.ran ? "processed" : "duplicate", started), counts);
  } catch (error) {
    const reason = errorName(error);
    if (reason === "IdempotencyAlreadyInProgressError") {
      log.warn("Event is being processed elsewhere; the record will be retried", { reason });
    } else {
      log.error("Record failed", { reason, error: error as Error });
    }
    report(p, { ...outcomeOf(record, envelope, "failed", started), reason, error }, counts);
    throw error;
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
