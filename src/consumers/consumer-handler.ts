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
import type { Context, SQSRecord } from "aws-lambda";
import type { GatewayEvent } from "../contract/event";
import { parseEventBody } from "../contract/parse-event";
import { resolveClaimCheck } from "./claim-check";
import { compileFilter } from "./filter";
import { createIdempotency } from "./idempotency";
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
  const matches = compileFilter(consumer.name, consumer.filter);
  const { tracer: loaded, metrics, logger: root } = defaultObservability(options);
  const tracer = loaded?.isTracingEnabled() ? loaded : undefined;
  const logger = root.createChild({ persistentKeys: { consumer: consumer.name } });
  const idempotency = createIdempotency({
    ddb: options.ddb,
    tableName: options.idempotencyTable,
    keyPrefix: consumer.name,
    expiresAfterSeconds: options.idempotencyTtlSeconds,
  });
  if (tracer) {
    tracer.captureAWSv3Client(options.ddb);
    if (options.s3) tracer.captureAWSv3Client(options.s3);
  }

  const once = idempotency.wrap(async (envelope: GatewayEvent, run: Run): Promise<void> => {
    // Only reached when no completed record exists: this flag is how a duplicate is told apart.
    run.ran = true;
    const event = await resolveClaimCheck(options.s3, envelope);
    await consumer.handler(event, {
      consumer: consumer.name,
      record: run.record,
      lambdaContext: run.lambdaContext,
      logger: run.logger,
      dataref: envelope.dataref,
    });
  });

  const report = (outcome: Omit<RecordOutcome, "consumer">, counts: Counts) => {
    counts[outcome.status]++;
    options.onOutcome?.({ consumer: consumer.name, ...outcome });
  };

  async function processRecord(record: SQSRecord, lambdaContext: Context, counts: Counts): Promise<void> {
    const started = performance.now();
    const log = logger.createChild({ persistentKeys: { messageId: record.messageId } });
    let envelope: GatewayEvent | undefined;
    try {
      envelope = parseEventBody(record.body);
      log.setCorrelationId(envelope.id);
      if (!matches(envelope)) {
        log.debug("Event outside the filter, acknowledged", { type: envelope.type });
        report(outcomeOf(record, envelope, "filtered", started), counts);
        return;
      }
      const run: Run = { ran: false, record, lambdaContext, logger: log };
      await once(envelope, run);
      log.info(run.ran ? "Event processed" : "Duplicate event skipped", { type: envelope.type });
      report(outcomeOf(record, envelope, run.ran ? "processed" : "duplicate", started), counts);
    } catch (error) {
      const reason = errorName(error);
      if (reason === "IdempotencyAlreadyInProgressError") {
        log.warn("Event is being processed elsewhere; the record will be retried", { reason });
      } else {
        log.error("Record failed", { reason, error: error as Error });
      }
      report({ ...outcomeOf(record, envelope, "failed", started), reason, error }, counts);
      throw error;
    }
  }

  return async (event, context) => {
    idempotency.config.registerLambdaContext(context);
    logger.addContext(context);
    const counts: Counts = { processed: 0, failed: 0, duplicate: 0, filtered: 0 };
    const segment = tracer?.getSegment();
    const subsegment = segment?.addNewSubsegment(`## ${consumer.name}`);
    if (tracer && subsegment) {
      tracer.setSegment(subsegment);
      tracer.annotateColdStart();
      tracer.putAnnotation("consumer", consumer.name);
    }
    try {
      const seen = new Set<string>();
      const handleRecord = (record: SQSRecord) => {
        seen.add(record.messageId);
        return processRecord(record, context, counts);
      };
      // A full-batch failure is reported item by item rather than thrown: same effect on the
      // queue (nothing is deleted), and every failed record stays visible in the response.
      const response = options.fifo
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
        report(
          { messageId: failure.itemIdentifier, status: "failed", reason: "FifoGroupSkipped", durationMs: 0 },
          counts,
        );
      }
      return response;
    } finally {
      publishCounts(metrics, consumer.name, counts);
      if (tracer && segment && subsegment) {
        subsegment.close();
        tracer.setSegment(segment);
      }
    }
  };
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
