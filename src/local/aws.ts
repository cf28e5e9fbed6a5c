import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";

/** The emulators accept any credentials; the SDK wants some. */
export const LOCAL_AWS = {
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
} as const;

export interface LocalClients {
  sqs: SQSClient;
  s3: S3Client;
  ddb: DynamoDBClient;
  destroy(): void;
}

/**
 * The runtime's own clients (queues, pollers, consumers, inspector), pointed at the emulators.
 *
 * @example
 * const clients = createLocalClients({ sqs: fauxqs.address, s3: fauxqs.address, dynamodb });
 */
export function createLocalClients(endpoints: { sqs: string; s3: string; dynamodb: string }): LocalClients {
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: endpoints.sqs });
  const s3 = new S3Client({ ...LOCAL_AWS, endpoint: endpoints.s3, forcePathStyle: true });
  const ddb = new DynamoDBClient({ ...LOCAL_AWS, endpoint: endpoints.dynamodb });
  return {
    sqs,
    s3,
    ddb,
    destroy: () => {
      sqs.destroy();
      s3.destroy();
      ddb.destroy();
    },
  };
}
