import { join } from "node:path";
import { loadGatewayConfig } from "../config/load";
import { ArchiveStore, createArchiveTable, createIdempotencyTable } from "../consumers";
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from "../consumers/idempotency";
import type { ShippedConsumersOptions } from "../consumers/registry";
import type { RecordOutcome } from "../consumers/types";
import type { Outcome } from "../edge/gateway";
import { createLocalClients, type LocalClients } from "./aws";
import {
  type LocalConsumerHandlers,
  localConsumerHandlers,
  PROJECT_LISTENERS,
  startPollers,
} from "./consumers";
import { type Counters, countEdge, countRecord, createCounters } from "./counters";
import type { ResolvedSecret } from "./dev-secrets";
import { type LocalEmulators, startEmulators } from "./emulators";
import { type LocalFaultHook, type LocalFaults, noFaults } from "./fault-hook";
import { createLocalIngest, type LocalIngest } from "./ingest";
import { createInspector, type Inspector } from "./inspector";
import { createIngestTap } from "./inspector/ingest-tap";
import { Journal } from "./inspector/journal";
import type { EventSourceMapping } from "./lambda/event-source-mapping";
import { localObservability } from "./observability";
import { edgeLine, recordLine } from "./output";
import { type Persistence, startPersistence } from "./persistence";
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
  /** The listeners the GitHub and Slack consumers run (default: the project's, `listeners/`). */
  listeners?: ShippedConsumersOptions["listeners"];
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
  inspector: Inspector;
  depths: QueueDepths;
  consumers: LocalConsumerHandlers;
  mappings: EventSourceMapping[];
  deadLetterWatch: { stop(): void };
  persistence: Persistence;
  ingest: LocalIngest;
  clients: LocalClients;
  faults: LocalFaults;
  emulators: LocalEmulators;
}

/**
 * Runs the whole pipeline in one process: fauxqs (SQS, S3) and dynalite (DynamoDB, under
 * `dataDir`) in-process, the queues, DLQs and tables the stack would create, the real ingest
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
  const emulators = await startEmulators(settings.dataDir);
  const hook = options.faults ?? (async (endpoints) => noFaults(endpoints));
  const faults = await hook(
    { sqs: emulators.endpoints.sqs, dynamodb: emulators.endpoints.dynamodb },
    settings.log,
  );
  // SQS and DynamoDB through the faults' endpoints (TCP proxies in the soak); S3 directly.
  const clients = createLocalClients({ ...faults.endpoints, s3: emulators.endpoints.s3 });
  const queues = await createResources(settings, emulators, clients);
  const persistence = await startPersistence({
    fauxqs: emulators.fauxqs,
    sqs: clients.sqs,
    s3: clients.s3,
    queues,
    claimCheckBucket: BUCKET,
    dataDir: settings.dataDir,
    log: settings.log,
  });
  const counters = createCounters(queues.map((q) => q.consumer.name));
  const journal = new Journal();
  const pipeline = await startPipeline({
    ...{ settings, queues, clients, faults, counters, emulators, journal },
    listeners: options.listeners ?? PROJECT_LISTENERS,
  });
  const depths = queueDepths(emulators.fauxqs, queues);
  const inspector = inspectorFor({
    settings,
    queues,
    clients,
    counters,
    depths,
    journal,
    emulators,
    pipeline,
  });
  const server = await startLocalServer({
    ingest: pipeline.ingest.handler,
    inspector: (req, res) => void inspector.handle(req, res),
    intercept: (req, res) => faults.handle(req, res),
    maxBodyBytes: pipeline.ingest.config.maxBodyBytes,
    port: settings.port,
    host: settings.host,
  });
  const deadLetterWatch = watchDeadLetters(depths, settings.log);
  const running: Running = {
    settings,
    server,
    inspector,
    depths,
    deadLetterWatch,
    persistence,
    clients,
    faults,
    emulators,
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
async function createResources(
  settings: LocalSettings,
  emulators: LocalEmulators,
  clients: LocalClients,
): Promise<LocalQueue[]> {
  const config = loadGatewayConfig({ root: settings.root, env: settings.env });
  await createIdempotencyTable(clients.ddb, TABLES.idempotency);
  await createArchiveTable(clients.ddb, TABLES.archive);
  emulators.fauxqs.createBucket(BUCKET);
  return createLocalQueues(clients.sqs, config.consumers, {
    visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
  });
}

/** The ingest handler and the consumers with their pollers, each outcome counted and printed. */
async function startPipeline(parts: {
  settings: LocalSettings;
  queues: readonly LocalQueue[];
  clients: LocalClients;
  faults: LocalFaults;
  counters: Counters;
  emulators: LocalEmulators;
  journal: Journal;
  listeners: ShippedConsumersOptions["listeners"];
}) {
  const { settings, queues, clients, faults, counters, journal } = parts;
  const { env, log } = settings;
  const { logger, metrics } = localObservability(env.LOG_LEVEL);
  // Joins each edge outcome to its request, for the inspector (headers, body, answered status).
  const tap = createIngestTap(journal);
  const ingest = createLocalIngest({
    queues,
    secrets: settings.secrets,
    endpoints: { sqs: faults.endpoints.sqs, s3: parts.emulators.endpoints.s3 },
    claimCheckBucket: BUCKET,
    env,
    logger,
    metrics,
    onOutcome: (outcome: Outcome) => {
      countEdge(counters, outcome);
      tap.outcome(outcome);
      log(edgeLine(outcome));
    },
  });
  ingest.handler = tap.wrap(ingest.handler);
  const onOutcome = (outcome: RecordOutcome) => {
    countRecord(counters, outcome);
    journal.recordRun(outcome, Date.now());
    const line = recordLine(outcome);
    if (line) log(line);
  };
  const consumers = localConsumerHandlers(
    queues,
    env,
    { ddb: clients.ddb, s3: clients.s3, logger, metrics, onOutcome },
    {
      idempotencyTable: TABLES.idempotency,
      idempotencyTtlSeconds: DEFAULT_IDEMPOTENCY_TTL_SECONDS,
      archiveTable: TABLES.archive,
      claimCheckBucket: BUCKET,
      listeners: parts.listeners,
    },
  );
  for (const [name, handler] of consumers.handlers)
    consumers.handlers.set(name, faults.wrapHandler(name, handler));
  const mappings = await startPollers(clients.sqs, queues, consumers.handlers, log);
  return { ingest, consumers, mappings };
}

function inspectorFor(parts: {
  settings: LocalSettings;
  queues: readonly LocalQueue[];
  clients: LocalClients;
  counters: Counters;
  depths: QueueDepths;
  journal: Journal;
  emulators: LocalEmulators;
  pipeline: { consumers: LocalConsumerHandlers };
}): Inspector {
  const { settings, queues, clients } = parts;
  return createInspector({
    archive: new ArchiveStore(clients.ddb, TABLES.archive),
    ddb: clients.ddb,
    idempotencyTable: TABLES.idempotency,
    consumers: queues.map((q) => ({
      name: q.consumer.name,
      filter: { types: q.consumer.types, sources: q.consumer.sources },
    })),
    counters: parts.counters,
    queues: parts.depths,
    startedAt: Date.now(),
    journal: parts.journal,
    running: new Set(parts.pipeline.consumers.handlers.keys()),
    localQueues: queues,
    fauxqs: parts.emulators.fauxqs,
    sqs: clients.sqs,
    secrets: { github: settings.secrets.github.values[0], slack: settings.secrets.slack.values[0] },
    fixturesDir: join(settings.root, "fixtures"),
    root: settings.root,
  });
}

function consumerSummary(
  queues: readonly LocalQueue[],
  consumers: LocalConsumerHandlers,
): LocalRuntime["consumers"] {
  return queues.map(({ consumer }) => ({
    name: consumer.name,
    types: consumer.types,
    sources: consumer.sources,
    enabled: consumers.handlers.has(consumer.name),
    missing: consumers.missing.get(consumer.name) ?? [],
  }));
}

/** Stops accepting, lets queued events finish (up to the drain timeout), saves state, releases everything. */
async function stopRuntime(running: Running): Promise<void> {
  running.inspector.close();
  await running.server.close();
  await drain(running.depths, running.consumers.handlers, running.settings.drainTimeoutMs);
  await Promise.all(running.mappings.map((m) => m.stop()));
  running.deadLetterWatch.stop();
  await running.persistence.save();
  running.ingest.destroy();
  running.clients.destroy();
  await running.faults.stop();
  await running.emulators.stop();
}
