import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import dynalite from "dynalite";
import { startFauxqs } from "fauxqs";

/** Static credentials for the emulators; they check nothing but the SDK wants some. */
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
export const TEST_REGION = "us-east-1";

export type Fauxqs = Awaited<ReturnType<typeof startFauxqs>>;

/** Starts fauxqs (SQS and S3) in-process on a free port. */
export async function startSqs(): Promise<{
  server: Fauxqs;
  endpoint: string;
  sqs: SQSClient;
  s3: S3Client;
}> {
  const server = await startFauxqs({ port: 0, logger: false });
  const endpoint = server.address;
  const common = { endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS };
  return {
    server,
    endpoint,
    sqs: new SQSClient(common),
    s3: new S3Client({ ...common, forcePathStyle: true }),
  };
}

/** Starts dynalite (DynamoDB on LevelDB, in memory unless `path` is given) on a free port. */
export async function startDynamo(
  options: { path?: string } = {},
): Promise<{ endpoint: string; ddb: DynamoDBClient; stop: () => Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: options.path });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const ddb = new DynamoDBClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  return {
    endpoint,
    ddb,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        ddb.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
