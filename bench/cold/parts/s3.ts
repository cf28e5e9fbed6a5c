/** Cold-start composition: the SQS-only reference plus `@aws-sdk/client-s3` (the claim check). */

import { S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({});

export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: `${typeof sqs.send}:${SendMessageCommand.name}:${S3Client.name}`,
});
