/** Cold-start composition: the SQS-only reference plus a Powertools `Tracer` wrapping the client. */
import { Tracer } from "@aws-lambda-powertools/tracer";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

const tracer = new Tracer({ serviceName: "webhook-gateway" });
const sqs = tracer.captureAWSv3Client(new SQSClient({}));

export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: `${typeof sqs.send}:${SendMessageCommand.name}`,
});
