import { join } from "node:path";
import type { ConsumerDeployment } from "../config/gateway-config";
import { routeGitHubByListeners } from "../config/listener-routes";
import { loadGatewayConfig } from "../config/load";
import { ArchiveStore, createArchiveTable, createIdempotencyTable } from "../consumers";
import { listenedGitHubTypes } from "../consumers/github";
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from "../consumers/idempotency";
import type { ShippedConsumersOptions } from "../consumers/registry";
import type { RecordOutcome } from "../consumers/types";
import type { Outcome } from "../edge/gateway";
import { createLocalClients, type LocalClients } from "./aws";
import { hostConsumers, type RunningConsumers } from "./consumer-host";
import { startConsumerThreads } from "./consumer-thread";
import { offConsumers, PROJECT_LISTENERS, withBatchingWindow } from "./consumers";
import { type Counters, countEdge, countRecord, createCounters } from "./counters";
import type { ResolvedSecret } from "./dev-secrets";
import { type LocalEmulators, startEmulators } from "./emulators";
import { ENDPOINTS_FILE, removeEndpointsFile, writeEndpointsFile } from "./endpoints-file";
import { type LocalFaultHook, type LocalFaults, noFaults } from "./fault-hook";
import { createLocalIngest, type LocalIngest } from "./ingest";
import { createInspector, type Inspector } from "./inspector";
import type { InspectableDeadLetters } from "./inspector/dead-letters";
import { createIngestTap } from "./inspector/ingest-tap";
import { Journal } from "./inspector/journal";
import { localObservability } from "./observability";
import { edgeLine, recordLine } from "./output";
import { claimDataDir, reportStillQueued } from "./persistence";
import { assertPortFree } from "./port-check";
import {
  drain,
  type QueueDepths,
  queueDepths,
  watchDeadLetterMessages,
  watchDeadLetters,
} from "./queue-watch";
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
  /**
   * The listeners the GitHub and Slack consumers run. Default: the project's (`listeners/`), with
   * the consumers in a worker thread of their own. Functions given here cannot cross threads: the
   * consumers then run in the runtime's thread (tests that change a listener's behaviour live).
   */
  listeners?: ShippedConsumersOptions["listeners"];
}

export interface LocalRuntime {
  url: string;
  secrets: { github: ResolvedSecret; slack: ResolvedSecret };
  /** Every configured consumer; one that is off has no local queue (the edge routes nothing to it). */
  consumers: { name: string; types: string[]; sources: string[]; enabled: boolean; missing: string[] }[];
  endpoints: { sqs: string; dynamodb: string };
  /** Where the endpoints are written for the CLI (`--local`); removed by `stop()`. */
  endpointsFile: string;
  /** Events queued or in flight for the running consumers: what `stop()` drains. */
  queued(): Promise<number>;
  /** How long `stop()` waits for them, in ms. */
  drainTimeoutMs: number;
  stop(): Promise<void>;
}

const TABLES = { idempotency: "idempotency", archive: "archive" };
const BUCKET = "claim-checks";

/** Everything a running runtime holds, in the order `stop()` releases it. */
interface Running {
  lock: { release(): void };
  settings: LocalSettings;
  server: LocalServer;
  inspector: Inspector;
  depths: QueueDepths;
  consumers: RunningConsumers;
  deadLetterWatch: { stop(): void };
  deadLetters: { stop(): void };
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
  // A second `npm start` on the same data directory or port says so in one line, before anything starts.
  const lock = await claimDataDir(settings.dataDir);
  await assertPortFree(settings.port, settings.host).catch((error) => {
    lock.release();
    throw error;
  });
  const emulators = await startEmulators(settings.dataDir, [BUCKET]).catch((error: unknown) => {
    lock.release();
    throw error;
  });
  const hook = options.faults ?? (async (endpoints) => noFaults(endpoints));
  const faults = await hook(
    { sqs: emulators.endpoints.sqs, dynamodb: emulators.endpoints.dynamodb },
    settings.log,
  );
  // SQS and DynamoDB through the faults' endpoints (TCP proxies in the soak); S3 directly.
  const clients = createLocalClients({ ...faults.endpoints, s3: emulators.endpoints.s3 });
  const listeners = options.listeners ?? PROJECT_LISTENERS;
  const { queues, consumers: configured, off } = await createResources(settings, clients, listeners);
  const counters = createCounters(queues.map((q) => q.consumer.name));
  const journal = new Journal();
  const pipeline = await startPipeline({
    ...{ settings, queues, clients, faults, counters, emulators, journal },
    listeners: options.listeners,
    faulty: options.faults !== undefined,
  });
  const depths = queueDepths(emulators, queues);
  const deadLetters = watchDeadLetterMessages(emulators, queues);
  const inspector = inspectorFor({
    settings,
    queues,
    clients,
    counters,
    depths,
    journal,
    deadLetters,
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
  const endpoints = {
    sqs: emulators.endpoints.sqs,
    s3: emulators.endpoints.s3,
    dynamodb: emulators.endpoints.dynamodb,
  };
  writeEndpointsFile(settings.dataDir, { pid: process.pid, url: server.url, ...endpoints });
  const running: Running = {
    lock,
    settings,
    server,
    inspector,
    depths,
    deadLetterWatch,
    deadLetters,
    clients,
    faults,
    emulators,
    ...pipeline,
  };
  let stopping: Promise<void> | undefined;
  return {
    url: server.url,
    secrets: settings.secrets,
    consumers: consumerSummary(configured, off, pipeline.consumers),
    endpoints: { sqs: endpoints.sqs, dynamodb: endpoints.dynamodb },
    endpointsFile: join(settings.dataDir, ENDPOINTS_FILE),
    queued: () => queuedFor(depths, pipeline.consumers.enabled),
    drainTimeoutMs: settings.drainTimeoutMs,
    stop: () => {
      stopping ??= stopRuntime(running);
      return stopping;
    },
  };
}

/**
 * The tables, bucket, queues and dead-letter queues the stack would create; a consumer that is
 * off (its configuration incomplete) gets no queue, so nothing is queued for it.
 */
async function createResources(
  settings: LocalSettings,
  clients: LocalClients,
  listeners: typeof PROJECT_LISTENERS,
) {
  const config = loadGatewayConfig({ root: settings.root, env: settings.env });
  await createIdempotencyTable(clients.ddb, TABLES.idempotency);
  await createArchiveTable(clients.ddb, TABLES.archive);
  // Routed as the stack routes them: the GitHub consumer gets only what its listeners handle.
  const consumers = withBatchingWindow(
    routeGitHubByListeners(config.consumers, listenedGitHubTypes(listeners.github)),
    settings.batchingWindowSeconds,
  );
  const off = offConsumers(consumers, settings.env, { ddb: clients.ddb }, consumerSettings(listeners));
  const queues = await createLocalQueues(
    clients.sqs,
    consumers.filter((c) => !off.has(c.name)),
    { visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds },
  );
  return { queues, consumers, off };
}

/** The local consumers' tables and bucket, and the user's listeners. */
function consumerSettings(listeners = PROJECT_LISTENERS) {
  return {
    idempotencyTable: TABLES.idempotency,
    idempotencyTtlSeconds: DEFAULT_IDEMPOTENCY_TTL_SECONDS,
    archiveTable: TABLES.archive,
    claimCheckBucket: BUCKET,
    listeners,
  };
}

/**
 * The ingest handler here, and the consumers with their pollers (in a worker thread of their own
 * unless the caller's listeners are functions); each outcome counted, journaled and printed.
 */
async function startPipeline(parts: {
  settings: LocalSettings;
  queues: readonly LocalQueue[];
  clients: LocalClients;
  faults: LocalFaults;
  counters: Counters;
  emulators: LocalEmulators;
  journal: Journal;
  /** The caller's listener functions; undefined: the project's, in the consumers' thread. */
  listeners: ShippedConsumersOptions["listeners"] | undefined;
  /** The caller gave faults: every batch asks them first. */
  faulty: boolean;
}) {
  const { settings, queues, clients, faults, counters, journal } = parts;
  const { env, log } = settings;
  const { logger, metrics } = localObservability(env.LOG_LEVEL);
  // Joins each edge outcome to its request, for the inspector (headers, body, answered status).
  const tap = createIngestTap(journal);
  const ingest = createLocalIngest({
    queues,
    readSecrets: settings.readSecrets,
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
  const tables = {
    idempotencyTable: TABLES.idempotency,
    archiveTable: TABLES.archive,
    claimCheckBucket: BUCKET,
  };
  const consumers = parts.listeners
    ? await hostConsumers({
        ...{ queues, env, clients, tables, onOutcome, log },
        listeners: parts.listeners,
        wrap: (name, handler) => faults.wrapHandler(name, handler),
      })
    : await startConsumerThreads({
        ...{ queues, env, tables, onOutcome, log },
        threads: settings.consumerThreads,
        endpoints: { ...faults.endpoints, s3: parts.emulators.endpoints.s3 },
        faults: parts.faulty ? faults : undefined,
      });
  return { ingest, consumers };
}

function inspectorFor(parts: {
  settings: LocalSettings;
  queues: readonly LocalQueue[];
  clients: LocalClients;
  counters: Counters;
  depths: QueueDepths;
  journal: Journal;
  deadLetters: InspectableDeadLetters;
  pipeline: { consumers: RunningConsumers };
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
    running: parts.pipeline.consumers.enabled,
    localQueues: queues,
    fauxqs: parts.deadLetters,
    sqs: clients.sqs,
    secrets: { github: settings.secrets.github.values[0], slack: settings.secrets.slack.values[0] },
    fixturesDir: join(settings.root, "fixtures"),
    root: settings.root,
  });
}

function consumerSummary(
  configured: readonly ConsumerDeployment[],
  off: ReadonlyMap<string, string[]>,
  consumers: RunningConsumers,
): LocalRuntime["consumers"] {
  return configured.map((consumer) => ({
    name: consumer.name,
    types: consumer.types,
    sources: consumer.sources,
    enabled: consumers.enabled.has(consumer.name),
    missing: off.get(consumer.name) ?? consumers.missing.get(consumer.name) ?? [],
  }));
}

/** Messages ready or in flight on the running consumers' queues. */
async function queuedFor(depths: QueueDepths, running: ReadonlySet<string>): Promise<number> {
  return Object.entries(await depths())
    .filter(([name]) => running.has(name))
    .reduce((sum, [, d]) => sum + d.ready + d.inflight, 0);
}

/** Stops accepting, lets queued events finish (up to the drain timeout), says what stays queued, releases everything. */
async function stopRuntime(running: Running): Promise<void> {
  removeEndpointsFile(running.settings.dataDir);
  running.inspector.close();
  running.deadLetters.stop();
  await running.server.close();
  await drain(running.depths, running.consumers.enabled, running.settings.drainTimeoutMs);
  await running.consumers.stop();
  running.deadLetterWatch.stop();
  await reportStillQueued(running.depths, running.settings.dataDir, running.settings.log);
  running.ingest.destroy();
  running.clients.destroy();
  await running.faults.stop();
  await running.emulators.stop();
  running.lock.release();
}
