/** Cold-start composition: the SQS-only reference plus a Powertools `Logger` and `Metrics`. */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

const logger = new Logger({ serviceName: "webhook-gateway" });
const metrics = new Metrics({ serviceName: "webhook-gateway", namespace: "WebhookGateway" });
const sqs = new SQSClient({});

export const handler = async (): Promise<{ statusCode: number; body: string }> => {
  logger.debug("bench");
  metrics.publishStoredMetrics();
  return { statusCode: 200, body: `${typeof sqs.send}:${SendMessageCommand.name}` };
};
