/**
 * Cold-start reference: a handler that holds only `@aws-sdk/client-sqs`, with its client built at
 * module scope the way the edge builds its own. Bundled with the edge's esbuild options.
 */
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({});

export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: `${typeof sqs.send}:${SendMessageCommand.name}`,
});
