import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { ArchiveStore } from "../archive-store";
import type { ConsumerLambdaConfig } from "../config";
import type { ConsumerHandlerOptions } from "../consumer-handler";
import type { ConsumerFilter, RecordOutcome, SqsConsumerHandler } from "../types";

/** What the shipped consumers are built from: configuration and clients made once, at cold start. */
export interface ShippedDeps {
  config: ConsumerLambdaConfig;
  ddb: DynamoDBClient;
  /** For claim checks (`dataref`). */
  s3?: S3Client;
  /** For the consumer's own queue: a copy that meets an in-progress record comes back within seconds. */
  sqs?: SQSClient;
  /** The consumer's queue URL; default: derived from each record's `eventSourceARN`. */
  queueUrl?: string;
  /** For `SLACK_BOT_TOKEN_SECRET_ID`. */
  secretsManager?: SecretsManagerClient;
  logger?: Logger;
  tracer?: Tracer;
  metrics?: Metrics;
  onOutcome?: (outcome: RecordOutcome) => void;
  /** Replaces the idempotency table: the test kit's in-memory store. */
  idempotencyStore?: BasePersistenceLayer;
}

/** A consumer the project ships, ready to become an SQS handler. */
export interface ShippedConsumer {
  name: string;
  filter: ConsumerFilter;
  /** Configuration this consumer needs but does not have (variable names); empty when it can run. */
  missing: string[];
  /** Builds the SQS Lambda handler (throws a `ConfigError` when `missing` is not empty). */
  createHandler(): SqsConsumerHandler;
}

/**
 * The framework options every shipped consumer shares. With an archive table, each consumer
 * records its failures (the listener's error) on the archived event.
 */
export function handlerOptions(deps: ShippedDeps): ConsumerHandlerOptions {
  const archiveTable = deps.config.archiveTable;
  return {
    failureLog: archiveTable ? new ArchiveStore(deps.ddb, archiveTable) : undefined,
    idempotencyStore: deps.idempotencyStore,
    ddb: deps.ddb,
    s3: deps.s3,
    sqs: deps.sqs,
    queueUrl: deps.queueUrl,
    idempotencyTable: deps.config.idempotencyTable,
    idempotencyTtlSeconds: deps.config.idempotencyTtlSeconds,
    fifo: deps.config.fifo,
    logger: deps.logger,
    tracer: deps.tracer,
    metrics: deps.metrics,
    onOutcome: deps.onOutcome,
  };
}
