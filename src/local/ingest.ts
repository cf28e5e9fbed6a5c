import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { ENV } from "../contract/environment";
import { LOCAL_SECRETS_TTL_SECONDS } from "../contract/limits";
import { createIngestClients, type IngestClients } from "../edge/app";
import { type IngestConfig, readIngestLimits } from "../edge/config";
import type { Outcome } from "../edge/gateway";
import { createIngestHandler, type IngestHandler } from "../edge/ingest-handler";
import { forEmulators, LOCAL_AWS } from "./aws";
import { BatchingSqsQueue } from "./batching-queue";
import type { ResolvedSecret } from "./dev-secrets";
import type { LocalQueue } from "./resources";

type Env = Readonly<Record<string, string | undefined>>;

export interface LocalIngestOptions {
  queues: readonly LocalQueue[];
  /** Read at start and again every `SECRETS_TTL_SECONDS` (5 s locally). */
  readSecrets: () => { github: ResolvedSecret; slack: ResolvedSecret };
  /** Where the edge reaches SQS (possibly through a fault proxy) and S3. */
  endpoints: { sqs: string; s3: string };
  claimCheckBucket: string;
  /** Limits and timeouts (`MAX_BODY_BYTES`, …) with the Lambda's defaults. */
  env: Env;
  logger: Logger;
  metrics: Metrics;
  onOutcome: (outcome: Outcome) => void;
}

export interface LocalIngest {
  handler: IngestHandler;
  config: IngestConfig;
  destroy(): void;
}

/**
 * The real ingest handler, configured explicitly: one route per local queue, the resolved
 * secrets, the claim-check bucket and the emulators' endpoints; sends to one queue in the same
 * turn of the event loop joined into one `SendMessageBatch` ({@link BatchingSqsQueue}). Nothing is written to
 * `process.env`, and outcomes come back through `onOutcome`.
 *
 * @example
 * const ingest = createLocalIngest({ queues, secrets, endpoints, claimCheckBucket: "claim-checks", env, logger, metrics, onOutcome });
 * await ingest.handler(event, context);
 */
export function createLocalIngest(options: LocalIngestOptions): LocalIngest {
  const config = localIngestConfig(options);
  const clients = createIngestClients(config, {
    ...LOCAL_AWS,
    endpoints: options.endpoints,
    s3ForcePathStyle: true,
  });
  forEmulators(clients.sqs);
  const { logger, metrics, onOutcome } = options;
  // Concurrent invocations share this process: their sends to one queue go out together, and
  // copies of an event that arrive while it is being queued share that send.
  const app = { queue: new BatchingSqsQueue(clients.sqs), joinCopies: true };
  return {
    handler: createIngestHandler({ config, clients, logger, metrics, onOutcome, app }),
    config,
    destroy: () => destroyClients(clients),
  };
}

/**
 * The edge's configuration for the local queues, as the stack would give it to the Lambda.
 *
 * @example
 * localIngestConfig({ queues, secrets, claimCheckBucket: "claim-checks", env: {} }).routes[0] // { name: "archive", queueUrl: "…", … }
 */
export function localIngestConfig(
  options: Pick<LocalIngestOptions, "queues" | "readSecrets" | "claimCheckBucket" | "env">,
): IngestConfig {
  const { readSecrets } = options;
  return {
    ...readIngestLimits({
      [ENV.secretsTtlSeconds]: String(LOCAL_SECRETS_TTL_SECONDS),
      ...stripEmpty(options.env),
    }),
    routes: options.queues.map((q) => ({
      name: q.consumer.name,
      queueUrl: q.url,
      fifo: q.consumer.fifo,
      types: q.consumer.types,
      sources: q.consumer.sources,
    })),
    secrets: {
      github: { from: "loader", load: () => readSecrets().github.values },
      slack: { from: "loader", load: () => readSecrets().slack.values },
    },
    claimCheckBucket: options.claimCheckBucket,
  };
}

function destroyClients(clients: IngestClients): void {
  clients.sqs.destroy();
  clients.s3?.peek()?.destroy();
}

function stripEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
}
