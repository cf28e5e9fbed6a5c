/** Cold-start composition: the SQS-only reference plus `@aws-sdk/client-secrets-manager`. */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({});

export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: `${typeof sqs.send}:${SendMessageCommand.name}:${SecretsManagerClient.name}`,
});
