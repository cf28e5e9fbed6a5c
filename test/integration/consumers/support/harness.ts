/**
 * The consumer test bench: fauxqs (SQS, S3) and dynalite started in-process on port 0, an
 * idempotency table, and consumers run behind the event source mapping poller exactly as the
 * local runtime runs them. Every record outcome and batch report is collected for counting.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  type ConsumerHandlerOptions,
  createConsumerHandler,
} from "../../../../src/consumers/consumer-handler";
import { createIdempotencyTable } from "../../../../src/consumers/tables";
import type { Consumer, RecordOutcome, SqsConsumerHandler } from "../../../../src/consumers/types";
import {
  type BatchReport,
  type EventSourceMapping,
  type EventSourceMappingOptions,
  startEventSourceMapping,
} from "../../../../src/local/lambda/event-source-mapping";
import { type Fauxqs, startDynamo, startSqs } from "../../../helpers/emulators";
import type { QueuePair } from "../../../helpers/sqs-queues";

export interface Bench {
  sqs: SQSClient;
  s3: S3Client;
  ddb: DynamoDBClient;
  dynamoEndpoint: string;
  fauxqs: Fauxqs;
  idempotencyTable: string;
  /** Runs a consumer behind a poller on `queue`; stopped by `stopConsumers()`. */
  run(consumer: Consumer, queue: QueuePair, options?: RunOptions): Promise<RunningConsumer>;
  /** Runs an already built SQS handler (a shipped consumer's) behind a poller on `queue`. */
  runHandler(
    handler: SqsConsumerHandler,
    queue: QueuePair,
    options?: Partial<EventSourceMappingOptions>,
  ): Promise<{ batches: BatchReport[]; mapping: EventSourceMapping }>;
  stopConsumers(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunOptions {
  handler?: Partial<ConsumerHandlerOptions>;
  mapping?: Partial<EventSourceMappingOptions>;
}

export interface RunningConsumer {
  outcomes: RecordOutcome[];
  batches: BatchReport[];
  mapping: EventSourceMapping;
  count(status: RecordOutcome["status"]): number;
}

/** Powertools utilities that print nothing (tests assert on outcomes, not on log lines). */
export function quietObservability(): Pick<ConsumerHandlerOptions, "logger" | "metrics" | "tracer"> {
  const previous = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = "true";
  try {
    return {
      logger: new Logger({ logLevel: "SILENT" }),
      metrics: new Metrics({ namespace: "Test", serviceName: "test" }),
      tracer: new Tracer({ enabled: false }),
    };
  } finally {
    if (previous === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = previous;
  }
}

export async function startBench(): Promise<Bench> {
  const sqsEmulator = await startSqs();
  const dynamo = await startDynamo();
  const idempotencyTable = `idempotency-${randomUUID().slice(0, 8)}`;
  await createIdempotencyTable(dynamo.ddb, idempotencyTable);
  const running: EventSourceMapping[] = [];

  const bench: Bench = {
    sqs: sqsEmulator.sqs,
    s3: sqsEmulator.s3,
    ddb: dynamo.ddb,
    dynamoEndpoint: dynamo.endpoint,
    fauxqs: sqsEmulator.server,
    idempotencyTable,
    async run(consumer, queue, options = {}) {
      const outcomes: RecordOutcome[] = [];
      const handler = createConsumerHandler(consumer, {
        ddb: dynamo.ddb,
        s3: sqsEmulator.s3,
        idempotencyTable,
        sqs: sqsEmulator.sqs,
        queueUrl: queue.queueUrl,
        ...quietObservability(),
        ...options.handler,
        onOutcome: (outcome) => {
          outcomes.push(outcome);
          options.handler?.onOutcome?.(outcome);
        },
      });
      const { batches, mapping } = await bench.runHandler(handler, queue, {
        functionName: consumer.name,
        ...options.mapping,
      });
      return {
        outcomes,
        batches,
        mapping,
        count: (status) => outcomes.filter((outcome) => outcome.status === status).length,
      };
    },
    async runHandler(handler, queue, options = {}) {
      const batches: BatchReport[] = [];
      const mapping = await startEventSourceMapping({
        sqs: sqsEmulator.sqs,
        queueUrl: queue.queueUrl,
        handler,
        functionName: "consumer",
        functionTimeoutMs: 5000,
        batchSize: 10,
        waitTimeSeconds: 1,
        ...options,
        onBatch: (report) => {
          batches.push(report);
          options.onBatch?.(report);
        },
      });
      running.push(mapping);
      return { batches, mapping };
    },
    async stopConsumers() {
      await Promise.all(running.splice(0).map((mapping) => mapping.stop()));
    },
    async stop() {
      await bench.stopConsumers();
      await sqsEmulator.server.stop();
      sqsEmulator.sqs.destroy();
      sqsEmulator.s3.destroy();
      await dynamo.stop();
    },
  };
  return bench;
}
