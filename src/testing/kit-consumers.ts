import { randomUUID } from "node:crypto";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSRecord } from "aws-lambda";
import { loadConsumerLambdaConfig } from "../consumers/config";
import { createConsumerHandler } from "../consumers/consumer-handler";
import type { ShippedDeps } from "../consumers/shipped/deps";
import { type GitHubListeners, shippedGitHubConsumer } from "../consumers/shipped/github";
import { type SlackListeners, shippedSlackConsumer } from "../consumers/shipped/slack";
import type { Consumer, ConsumerFilter, RecordOutcome, SqsConsumerHandler } from "../consumers/types";
import type { OutboundMessage } from "../edge/ports";
import { createLambdaContext } from "../local/lambda/lambda-context";
import { recordFromMessage } from "../local/lambda/sqs-record";
import type { MemoryIdempotencyStore } from "./memory-idempotency";

/** What the kit runs: your listeners on the shipped consumers, and consumers of your own. */
export interface KitListeners {
  /** Your GitHub listeners (`listeners/github.ts`), run by the shipped GitHub consumer. */
  github?: GitHubListeners;
  /** Your Slack listeners (`listeners/slack.ts`), run by the shipped Slack consumer. */
  slack?: SlackListeners;
  /** Consumers of your own, run by the same framework. */
  consumers?: Consumer[];
}

/** One consumer as the kit runs it: its route filter and its SQS handler. */
export interface KitConsumer {
  name: string;
  filter: ConsumerFilter;
  handler: SqsConsumerHandler;
}

export interface KitConsumerDeps {
  env: Readonly<Record<string, string>>;
  logger: Logger;
  metrics: Metrics;
  idempotencyStore: MemoryIdempotencyStore;
  onOutcome: (outcome: RecordOutcome) => void;
}

/**
 * The consumers a kit runs, built exactly as the Lambda entry points build them (configuration
 * read from `env` by `loadConsumerLambdaConfig`), except that idempotency lives in memory.
 *
 * @example
 * const consumers = kitConsumers({ github: registerGitHubListeners }, { env, logger, metrics, idempotencyStore, onOutcome });
 */
export function kitConsumers(listeners: KitListeners, deps: KitConsumerDeps): KitConsumer[] {
  const shippedDeps: ShippedDeps = {
    config: loadConsumerLambdaConfig(deps.env),
    // Never called: idempotency is in memory and the kit's consumers keep no archive.
    ddb: new DynamoDBClient({ region: "us-east-1" }),
    logger: deps.logger,
    metrics: deps.metrics,
    onOutcome: deps.onOutcome,
    idempotencyStore: deps.idempotencyStore,
  };
  const shipped = [
    ...(listeners.github ? [shippedGitHubConsumer(shippedDeps, listeners.github)] : []),
    ...(listeners.slack ? [shippedSlackConsumer(shippedDeps, listeners.slack)] : []),
  ].map((c) => ({ name: c.name, filter: c.filter, handler: c.createHandler() }));
  const own = (listeners.consumers ?? []).map((consumer) => ({
    name: consumer.name,
    filter: consumer.filter,
    handler: createConsumerHandler(consumer, {
      ddb: shippedDeps.ddb,
      idempotencyTable: shippedDeps.config.idempotencyTable,
      idempotencyStore: deps.idempotencyStore,
      logger: deps.logger,
      metrics: deps.metrics,
      onOutcome: deps.onOutcome,
    }),
  }));
  return [...shipped, ...own];
}

/**
 * The SQS record Lambda's event source mapping would hand a consumer for a message the edge
 * queued (`attempt` is its receive count).
 *
 * @example
 * const record = recordOf(message, "github", 1);
 */
export function recordOf(message: OutboundMessage, consumer: string, attempt: number): SQSRecord {
  const sent = String(Date.now());
  return recordFromMessage(
    {
      MessageId: randomUUID(),
      ReceiptHandle: randomUUID(),
      Body: message.body,
      Attributes: { ApproximateReceiveCount: String(attempt), SentTimestamp: sent, SenderId: "test-kit" },
      MessageAttributes: Object.fromEntries(
        Object.entries(message.attributes).map(([k, v]) => [k, { DataType: "String", StringValue: v }]),
      ),
    },
    { queueArn: `arn:aws:sqs:us-east-1:000000000000:${consumer}`, region: "us-east-1" },
  );
}

/** Runs one record through a consumer's handler, as one Lambda invocation. */
export async function invoke(consumer: KitConsumer, record: SQSRecord): Promise<boolean> {
  const context = createLambdaContext({ functionName: consumer.name, timeoutMs: 30_000 });
  const response = await consumer.handler({ Records: [record] }, context);
  return response.batchItemFailures.length === 0;
}
