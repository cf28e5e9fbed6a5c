import type { S3Client } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type {
  APIGatewayProxyStructuredResultV2,
  Context,
  LambdaFunctionURLEvent,
  LambdaFunctionURLResult,
} from "aws-lambda";
import { startSqs } from "./emulators";

export const GITHUB_SECRET = "test-github-secret";
export const GITHUB_PREVIOUS_SECRET = "test-github-previous-secret";
export const SLACK_SECRET = "test-slack-signing-secret";

type Handler = (event: LambdaFunctionURLEvent, context: Context) => Promise<LambdaFunctionURLResult>;

export interface EdgeHarness {
  sqs: SQSClient;
  s3: S3Client;
  queueUrl: string;
  handler: Handler;
  invoke(event: LambdaFunctionURLEvent): Promise<APIGatewayProxyStructuredResultV2>;
  /** Every message now in the queue, received and deleted (waits briefly for stragglers). */
  drain(): Promise<Message[]>;
  depth(): Promise<number>;
  stop(): Promise<void>;
}

const context = { functionName: "ingest", awsRequestId: "req-1" } as unknown as Context;

/**
 * Starts fauxqs, creates the consumer queue, and loads the real ingest handler module
 * (`handlers/ingest.ts`) with its configuration in the environment, as Lambda would.
 */
export async function startEdge(
  env: Record<string, string> = {},
  options: { routes?: (queueUrl: string) => unknown[] } = {},
): Promise<EdgeHarness> {
  const { server, endpoint, sqs, s3 } = await startSqs();
  server.createBucket("claim-checks");
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "archive" }));
  const queueUrl = QueueUrl!;
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    S3_FORCE_PATH_STYLE: "true",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "SILENT",
    POWERTOOLS_TRACE_ENABLED: "false",
    GITHUB_WEBHOOK_SECRET: `${GITHUB_SECRET},${GITHUB_PREVIOUS_SECRET}`,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    GATEWAY_ROUTES: JSON.stringify(options.routes?.(queueUrl) ?? [{ name: "archive", queueUrl }]),
    ...env,
  });
  // The environment stays set until stop(): the SDK resolves some settings lazily.
  let handler!: Handler;
  jest.isolateModules(() => {
    handler = require("../../handlers/ingest").handler;
  });
  const drain = async (): Promise<Message[]> => {
    const all: Message[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ["All"],
        }),
      );
      if (Messages.length === 0) return all;
      all.push(...Messages);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  };
  return {
    sqs,
    s3,
    queueUrl,
    handler,
    // The edge always answers with a structured result, never a bare string.
    invoke: async (event) => (await handler(event, context)) as APIGatewayProxyStructuredResultV2,
    drain,
    depth: async () => {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      return (
        Number(Attributes?.ApproximateNumberOfMessages) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
      );
    },
    stop: async () => {
      process.env = saved;
      sqs.destroy();
      s3.destroy();
      await server.stop();
    },
  };
}
