import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from "../consumers/idempotency";
import type { ShippedConsumersOptions } from "../consumers/registry";
import type { RecordOutcome, SqsConsumerHandler } from "../consumers/types";
import { localConsumerHandlers, type PollerShare, startPollers } from "./consumers";
import { withListenerLoggers } from "./listener-logger";
import { localObservability } from "./observability";
import type { LocalQueue } from "./resources";

type Env = Readonly<Record<string, string | undefined>>;

/** The local tables and bucket the consumers use. */
export interface LocalConsumerTables {
  idempotencyTable: string;
  archiveTable: string;
  claimCheckBucket: string;
}

/** The consumers of a running local runtime, wherever they run. */
export interface RunningConsumers {
  /** The consumers that run. */
  enabled: ReadonlySet<string>;
  /** Why each other consumer does not run (missing configuration). */
  missing: ReadonlyMap<string, string[]>;
  /** Stops polling (aborting long polls) and waits for the batches in flight. */
  stop(): Promise<void>;
}

export interface ConsumerHostOptions {
  queues: readonly LocalQueue[];
  env: Env;
  clients: { ddb: DynamoDBClient; s3: S3Client; sqs: SQSClient };
  tables: LocalConsumerTables;
  listeners: ShippedConsumersOptions["listeners"];
  /** Each record's end (processed, duplicate, filtered, failed). */
  onOutcome: (outcome: RecordOutcome) => void;
  /** The listeners' log lines and the pollers' errors. */
  log: (line: string) => void;
  /** Wraps each consumer's handler before its poller gets it (the soak's faults); default: none. */
  wrap?: (consumer: string, handler: SqsConsumerHandler) => SqsConsumerHandler;
  /** This thread's part of each consumer's pollers, when several threads run the consumers. */
  share?: PollerShare;
}

/**
 * Builds every runnable consumer (the listeners' logs as one readable line each, at INFO unless
 * `LOG_LEVEL` says otherwise) and starts a poller for each, as the stack's event source mappings
 * would. Runs in the consumers' worker thread (`consumer-worker.ts`), or in the runtime's own
 * thread when the caller's listeners are functions that cannot cross threads.
 *
 * @example
 * const consumers = await hostConsumers({ queues, env, clients, tables, listeners, onOutcome, log });
 * await consumers.stop();
 */
export async function hostConsumers(options: ConsumerHostOptions): Promise<RunningConsumers> {
  const { queues, env, clients, tables, log, wrap } = options;
  const { logger, metrics } = localObservability(env.LOG_LEVEL);
  const consumers = localConsumerHandlers(
    queues,
    env,
    { ...clients, logger, metrics, onOutcome: options.onOutcome },
    {
      ...tables,
      idempotencyTtlSeconds: DEFAULT_IDEMPOTENCY_TTL_SECONDS,
      listeners: withListenerLoggers(options.listeners, log, env.LOG_LEVEL),
    },
  );
  if (wrap) {
    for (const [name, handler] of consumers.handlers) consumers.handlers.set(name, wrap(name, handler));
  }
  const mappings = await startPollers(clients.sqs, queues, consumers.handlers, log, options.share);
  return {
    enabled: new Set(consumers.handlers.keys()),
    missing: consumers.missing,
    stop: async () => {
      await Promise.all(mappings.map((m) => m.stop()));
    },
  };
}
