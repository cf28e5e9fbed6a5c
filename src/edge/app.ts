import type { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { Provider } from "../contract/event";
import { compileRoutes } from "../contract/routing";
import { QUIET_SDK_LOGGER } from "../shared/sdk-logger";
import { cachedSecrets } from "../shared/secrets";
import { S3ClaimCheck } from "./adapters/s3-claim-check";
import { awsCallContext, type SecretReader, secretsManagerReader } from "./adapters/secrets-manager-http";
import { SqsQueue } from "./adapters/sqs-queue";
import type { IngestConfig, SecretConfig } from "./config";
import { createGateway, type Gateway } from "./gateway";
import type { ClaimCheckPort, QueuePort } from "./ports";
import { createPublisher, joinCopiesInFlight } from "./publisher";

/**
 * A client built on first call, so that a cold start does not load its SDK package: the edge
 * needs S3 only for a claim check.
 */
export interface LazyClient<T> {
  (): T;
  /** The client if it was built, without building it. */
  peek(): T | undefined;
}

export interface IngestClients {
  sqs: SQSClient;
  s3?: LazyClient<S3Client>;
  /**
   * Reads a Secrets Manager secret: signed `GetSecretValue` calls over the SQS client's handler
   * and credentials (no second SDK client to load on a cold start). With tracing, the Tracer's
   * HTTPS capture records each read. Default: such a reader over `sqs`.
   */
  readSecret?: SecretReader;
}

/**
 * Where the clients connect when not to AWS from the Lambda environment (the local runtime):
 * region, credentials and per-service endpoints given explicitly instead of read by the SDK.
 */
export interface IngestClientSettings {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  endpoints?: { sqs?: string; s3?: string };
  /** Default: `S3_FORCE_PATH_STYLE=true` in the environment. */
  s3ForcePathStyle?: boolean;
  /** Called with each client when it is built (the Tracer's `captureAWSv3Client`). */
  instrument?: (client: SQSClient | S3Client) => void;
}

/**
 * AWS clients for the edge, with timeouts bounded so that a slow SQS cannot hold a request past
 * Slack's 3 s or GitHub's 10 s: each attempt is cut at `sqsRequestTimeoutMs`, and the publisher
 * stops waiting at its deadline. The SQS client caches its middleware stack (`cacheMiddleware`),
 * so sends must pass no per-call options. S3 is loaded on first use. Secrets Manager secrets are
 * read with signed calls over the SQS client's handler and credentials (`readSecret`).
 *
 * @example
 * const clients = createIngestClients(config);
 * const local = createIngestClients(config, { region: "us-east-1", endpoints: { sqs: "http://127.0.0.1:4566" } });
 */
export function createIngestClients(
  config: IngestConfig,
  settings: IngestClientSettings = {},
): IngestClients {
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: Math.min(1000, config.sqsRequestTimeoutMs),
    requestTimeout: config.sqsRequestTimeoutMs,
  });
  const needsSecretsManager = Object.values(config.secrets).some((s) => s?.from === "secrets-manager");
  const { region, credentials, endpoints = {}, instrument } = settings;
  const forcePathStyle = settings.s3ForcePathStyle ?? process.env.S3_FORCE_PATH_STYLE === "true";
  // The endpoint comes from the region (or AWS_ENDPOINT_URL_SQS, or `settings`), not from each queue URL.
  const sqs = new SQSClient({
    maxAttempts: 3,
    requestHandler,
    useQueueUrlAsEndpoint: false,
    cacheMiddleware: true,
    logger: QUIET_SDK_LOGGER,
    ...defined({ region, credentials, endpoint: endpoints.sqs }),
  });
  instrument?.(sqs);
  return {
    sqs,
    s3: config.claimCheckBucket
      ? lazy(() => {
          const { S3Client } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
          const client = new S3Client({
            maxAttempts: 3,
            forcePathStyle,
            logger: QUIET_SDK_LOGGER,
            ...defined({ region, credentials, endpoint: endpoints.s3 }),
          });
          instrument?.(client);
          return client;
        })
      : undefined,
    readSecret: needsSecretsManager ? secretsManagerReader(awsCallContext(sqs.config)) : undefined,
  };
}

/**
 * A {@link LazyClient}: `create` runs on the first call only.
 *
 * @example
 * const s3 = lazy(() => new S3Client({}));
 * s3.peek(); // undefined
 * s3().send(command);
 */
export function lazy<T>(create: () => T): LazyClient<T> {
  let client: T | undefined;
  const get = (() => {
    client ??= create();
    return client;
  }) as LazyClient<T>;
  get.peek = () => client;
  return get;
}

export interface IngestAppOptions {
  /** The clock of signature timestamps and of the secrets cache (tests). */
  now?: () => number;
  /** Replace the SQS adapter (benchmarks use an in-memory queue). */
  queue?: QueuePort;
  claimCheck?: ClaimCheckPort;
  /** Answer copies of an event that arrive while it is being queued with that send ({@link joinCopiesInFlight}). */
  joinCopies?: boolean;
}

/**
 * Wires the edge's core to its adapters from the configuration; shared by the Lambda handler,
 * the local runtime and the tests.
 *
 * @example
 * const gateway = createIngestApp(loadIngestConfig(process.env), createIngestClients(config));
 */
export function createIngestApp(
  config: IngestConfig,
  clients: IngestClients,
  options: IngestAppOptions = {},
): Gateway {
  const secrets = (provider: Provider) =>
    secretSource(config.secrets[provider], config, clients, options.now);
  const github = secrets("github");
  const slack = secrets("slack");
  const providers = (["github", "slack"] as const).filter((p) => config.secrets[p] !== undefined);
  const claimCheck =
    options.claimCheck ??
    (config.claimCheckBucket && clients.s3
      ? new S3ClaimCheck(clients.s3, config.claimCheckBucket)
      : undefined);
  const publish = createPublisher({
    routes: compileRoutes(config.routes),
    queue: options.queue ?? new SqsQueue(clients.sqs),
    claimCheck,
  });
  return createGateway({
    providers,
    secrets: { github, slack },
    publish: options.joinCopies ? joinCopiesInFlight(publish) : publish,
    now: options.now,
    maxBodyBytes: config.maxBodyBytes,
    maxDepth: config.maxDepth,
    deadlines: config.deadlines,
  });
}

function secretSource(
  secret: SecretConfig | undefined,
  config: IngestConfig,
  clients: IngestClients,
  now?: () => number,
) {
  if (secret === undefined) return cachedSecrets({ values: [] });
  if (secret.from === "env") return cachedSecrets({ values: secret.values });
  if (secret.from === "loader") {
    const { load } = secret;
    return cachedSecrets({ load: async () => [...(await load())], ttlMs: config.secretsTtlMs, now });
  }
  const read = secretReader(clients);
  return cachedSecrets({ load: () => read(secret.secretId), ttlMs: config.secretsTtlMs, now });
}

/** `clients.readSecret`, else a reader over the SQS client, built on the first read. */
function secretReader(clients: IngestClients): SecretReader {
  if (clients.readSecret) return clients.readSecret;
  const reader = lazy(() => secretsManagerReader(awsCallContext(clients.sqs.config)));
  return (secretId) => reader()(secretId);
}

/** The entries that are set: an explicit `undefined` would hide the SDK's own defaults. */
function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
