/**
 * Cold-start composition: the SQS-only reference plus every other dependency the edge loads with
 * tracing off (the Tracer is loaded only with tracing on), constructed as `handlers/ingest.ts` and
 * `src/edge/app.ts` construct them, without any of the edge's own code.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const logger = new Logger({ serviceName: "webhook-gateway" });
const metrics = new Metrics({ serviceName: "webhook-gateway", namespace: "WebhookGateway" });
const requestHandler = new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 1500 });
const sqs = new SQSClient({ maxAttempts: 3, requestHandler });

export const handler = async (): Promise<{ statusCode: number; body: string }> => {
  logger.debug("bench");
  metrics.publishStoredMetrics();
  return {
    statusCode: 200,
    body: `${typeof sqs.send}:${SendMessageCommand.name}:${S3Client.name}:${SecretsManagerClient.name}`,
  };
};
