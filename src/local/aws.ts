import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { HttpRequest, RequestSigner } from "@smithy/types";
import { QUIET_SDK_LOGGER } from "../shared/sdk-logger";

/** The emulators accept any credentials; the SDK wants some. */
export const LOCAL_AWS = {
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
} as const;

/**
 * The emulators check no signature: a fixed SigV4-shaped `Authorization` header (dynalite wants
 * one, and fauxqs reads the region from it) stands in for SigV4's hashing of every request.
 */
const EMULATOR_SIGNER: RequestSigner = {
  sign: async (request) => {
    const service = request.headers["x-amz-target"]?.startsWith("DynamoDB") ? "dynamodb" : "sqs";
    (request as HttpRequest).headers.authorization =
      `AWS4-HMAC-SHA256 Credential=local/20200101/${LOCAL_AWS.region}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
    request.headers["x-amz-date"] = "20200101T000000Z";
    return request;
  },
};

/**
 * What every client of the local runtime is configured with: region and credentials, the
 * emulators' signer, and each command's middleware stack built once rather than per call.
 */
export const LOCAL_CLIENT_CONFIG = {
  ...LOCAL_AWS,
  signer: EMULATOR_SIGNER,
  cacheMiddleware: true,
  logger: QUIET_SDK_LOGGER,
} as const;

/**
 * The SQS clients' MD5 checks of every message body sent and received are off locally: the
 * emulator is in this process, on loopback, and the hashing cost the runtime's threads a few
 * percent of their CPU. The deployed edge and consumers keep them.
 */
const NO_MD5 = { md5: false } as const;

/**
 * Gives a client built elsewhere (the edge's, by `createIngestClients`) the settings of
 * {@link LOCAL_CLIENT_CONFIG} that its factory does not take. Both are read at each call.
 *
 * @example
 * forEmulators(ingestClients.sqs);
 */
export function forEmulators<C extends { config: object }>(client: C): C {
  Object.assign(client.config, { signer: async () => EMULATOR_SIGNER, cacheMiddleware: true, ...NO_MD5 });
  return client;
}

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
 * const clients = createLocalClients(emulators.endpoints);
 */
export function createLocalClients(endpoints: { sqs: string; s3: string; dynamodb: string }): LocalClients {
  const sqs = new SQSClient({ ...LOCAL_CLIENT_CONFIG, ...NO_MD5, endpoint: endpoints.sqs });
  const s3 = new S3Client({ ...LOCAL_CLIENT_CONFIG, endpoint: endpoints.s3, forcePathStyle: true });
  // The archive wraps this client in a DynamoDBDocumentClient, which refuses `cacheMiddleware`.
  const ddb = new DynamoDBClient({
    ...LOCAL_AWS,
    signer: EMULATOR_SIGNER,
    logger: QUIET_SDK_LOGGER,
    endpoint: endpoints.dynamodb,
  });
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
