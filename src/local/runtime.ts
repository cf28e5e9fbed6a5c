import { loadGatewayConfig } from "../config/load";
import { ArchiveStore, createArchiveTable, createIdempotencyTable } from "../consumers";
import type { RecordOutcome } from "../consumers/types";
import type { Outcome } from "../edge/gateway";
import { createLocalClients, type LocalClients } from "./aws";
import { type ConsumerThread, startConsumerThread } from "./consumer-thread";
import { type Counters, countEdge, countRecord, createCounters } from "./counters";
import type { ResolvedSecret } from "./dev-secrets";
import { type LocalEmulators, startEmulators } from "./emulators";
import { type LocalFaultHook, type LocalFaults, noFaults } from "./fault-hook";
import { createLocalIngest, type LocalIngest } from "./ingest";
import { createInspector } from "./inspector";
import { localObservability } from "./observability";
import { edgeLine, recordLine } from "./output";
import { claimDataDir, reportStillQueued } from "./persistence";
import { drain, type QueueDepths, queueDepths, watchDeadLetters } from "./queue-watch";
import { createLocalQueues, type LocalQueue } from "./resources";
import { type LocalServer, startLocalServer } from "./server";
import { type LocalSettings, type LocalSettingsInput, resolveLocalSettings } from "./settings";

export interface LocalRuntimeOptions extends LocalSettingsInput {
  /** Default `PORT` or 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where durable state lives (default `LOCAL_DATA_DIR` or `.data`). */
  dataDir?: string;
  /** Repository root (stack configuration, `.env`). Default: the current directory. */
  root?: string;
  /** Default: the process environment (over `.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides every queue's visibility timeout (quicker retries while developing). */
  visibilityTimeoutSeconds?: number;
  /** How long `stop()` waits for queued events to be processed (default 10 s). */
  drainTimeoutMs?: number;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
  /** Fault injection (the soak's `soak/faults.ts`); default: none. */
  faults?: LocalFaultHook;
}

export interface LocalRuntime {
  url: string;
  secrets: { github: ResolvedSecret; slack: ResolvedSecret };
  consumers: { name: string; types: string[]; sources: string[]; enabled: boolean; missing: string[] }[];
  endpoints: { sqs: string; dynamodb: string };
  stop(): Promise<void>;
}

const TABLES = { idempotency: "idempotency", archive: "archive" };
const BUCKET = "claim-checks";

/** Everything a running runtime holds, in the order `stop()` releases it. */
interface Running {
  settings: LocalSettings;
  server: LocalServer;
  depths: QueueDepths;
  consumers: ConsumerThread;
  deadLetterWatch: { stop(): void };
  ingest: LocalIngest;
  clients: LocalClients;
  faults: LocalFaults;
  emulators: LocalEmulators;
  claim: { release(): void };
}

/**
 * Runs the whole pipeline: fauxqs (SQS, S3) and dynalite (DynamoDB), both durable under `dataDir`,
 * in a worker thread of their own (`emulators.ts`), the queues, DLQs and tables the stack would create, the real ingest
 * handler (configured explicitly) behind a Node HTTP server that builds function URL events, and
 * every consumer fed by a poller that behaves like the Lambda event source mapping.
 *
 * @example
 * const runtime = await startLocalRuntime({ port: 0 });
 * await fetch(`${runtime.url}/_/health`);
 * await runtime.stop();
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const settings = resolveLocalSettings(options);
  const claim = await claimDataDir(settings.dataDir);
  const emulators = await startEmulators(settings.dataDir, [BUCKET]).catch((error: unknown) => {
    claim.release();
    throw error;
  });
  const hook = options.faults ?? (async (endpoints) => noFaults(endpoints));
  const faults = await hook(
    { sqs: emulators.endpoints.sqs, dynamodb: emulators.endpoints.dynamodb },
    settings.log,
  );
  // SQS and DynamoDB through the faults' endpoints (TCP proxies in the soak); S3 directly.
  const clients = createLocalClients({ ...faults.endpoints, s3: emulators.endpoints.s3 });
  const queues = await createResources(settings, clients);
  const counters = createCounters(queues.map((q) => q.consumer.name));
  const pipeline = await startPipeline({
    settings,
    queues,
    faults: options.faults ? faults : undefined,
    endpoints: { ...faults.endpoints, s3: emulators.endpoints.s3 },
    counters,
  });
  const depths = queueDepths(emulators, queues);
  const server = await startLocalServer({
    ingest: pipeline.ingest.handler,
    inspector: inspectorFor(queues, clients, counters, depths),
    intercept: (req, res) => faults.handle(req, res),
    maxBodyBytes: pipeline.ingest.config.maxBodyBytes,
    port: settings.port,
    host: settings.host,
  });
  const deadLetterWatch = watchDeadLetters(depths, settings.log);
  const running: Running = {
    settings,
    server,
    depths,
    deadLetterWatch,
    clients,
    faults,
    emulators,
    claim,
    ...pipeline,
  };
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    secrets: settings.secrets,
    consumers: consumerSummary(queues, pipeline.consumers),
    endpoints: { sqs: emulators.endpoints.sqs, dynamodb: emulators.endpoints.dynamodb },
    stop: () => {
      stopping ??= stopRuntime(running);
      return stopping;
    },
  };
}

/** The tables, bucket, queues and dead-letter queues the stack would create. */
async function createResources(settings: LocalSettings, clients: LocalClients): Promise<LocalQueue[]> {
  const config = loadGatewayConfig({ root: settings.root, env: settings.env });
  await createIdempotencyTable(clients.ddb, TABLES.idempotency);
  await createArchiveTable(clients.ddb, TABLES.archive);
  return createLocalQueues(clients.sqs, config.consumers, {
    visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
  });
}

/**
 * The ingest handler here, and the consumers with their pollers in a thread of their own; each
 * outcome counted and printed.
 */
async function startPipeline(parts: {
  settings: LocalSettings;
  queues: LocalQueue[];
  /** Only when the caller gave some (the soak): every batch then asks them first. */
  faults: LocalFaults | undefined;
  endpoints: { sqs: string; s3: string; dynamodb: string };
  counters: Counters;
}) {
  const { settings, queues, counters, endpoints } = parts;
  const { env, log } = settings;
  const { logger, metrics } = localObservability(env.LOG_LEVEL);
  const ingest = createLocalIngest({
    queues,
    secrets: settings.secrets,
    endpoints,
    claimCheckBucket: BUCKET,
    env,
    logger,
    metrics,
    onOutcome: (outcome: Outcome) => {
      countEdge(counters, outcome);
      log(edgeLine(outcome));
    },
  });
  const consumers = await startConsumerThread({
    queues,
    env,
    endpoints,
    tables: { idempotencyTable: TABLES.idempotency, archiveTable: TABLES.archive, claimCheckBucket: BUCKET },
    faults: parts.faults,
    log,
    onOutcome: (outcome: RecordOutcome) => {
      countRecord(counters, outcome);
      const line = recordLine(outcome);
      if (line) log(line);
    },
  });
  return { ingest, consumers };
}

function inspectorFor(
  queues: readonly LocalQueue[],
  clients: LocalClients,
  counters: Counters,
  depths: QueueDepths,
) {
  return createInspector({
    archive: new ArchiveStore(clients.ddb, TABLES.archive),
    ddb: clients.ddb,
    idempotencyTable: TABLES.idempotency,
    consumers: queues.map((q) => ({
      name: q.consumer.name,
      filter: { types: q.consumer.types, sources: q.consumer.sources },
    })),
    counters,
    queues: depths,
    startedAt: Date.now(),
  });
}

function consumerSummary(
  queues: readonly LocalQueue[],
  consumers: ConsumerThread,
): LocalRuntime["consumers"] {
  return queues.map(({ consumer }) => ({
    name: consumer.name,
    types: consumer.types,
    sources: consumer.sources,
    enabled: consumers.enabled.has(consumer.name),
    missing: consumers.missing.get(consumer.name) ?? [],
  }));
}

/** Stops accepting, lets queued events finish (up to the drain timeout), says what stays queued, releases everything. */
async function stopRuntime(running: Running): Promise<void> {
  await running.server.close();
  await drain(running.depths, running.consumers.enabled, running.settings.drainTimeoutMs);
  await running.consumers.stop();
  running.deadLetterWatch.stop();
  await reportStillQueued(running.depths, running.settings.dataDir, running.settings.log);
  running.ingest.destroy();
  running.clients.destroy();
  await running.faults.stop();
  await running.emulators.stop();
  running.claim.release();
}
