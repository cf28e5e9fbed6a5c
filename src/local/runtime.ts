import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import dynalite from "dynalite";
import { startFaults } from "../../soak/faults";
import { loadGatewayConfig } from "../config/load";
import { ArchiveStore, createArchiveTable, createIdempotencyTable, shippedConsumers } from "../consumers";
import type { RecordOutcome, SqsConsumerHandler } from "../consumers/types";
import { ENV } from "../contract/environment";
import { IDEMPOTENCY_TTL_SECONDS, LOCAL_SECRETS_TTL_SECONDS, MAX_BODY_BYTES } from "../contract/limits";
import type { Outcome } from "../edge/gateway";
import { readEnvFile } from "../shared/env-file";
import { restoreClaimChecks, saveClaimChecks } from "./claim-check-snapshot";
import { countEdge, countRecord, createCounters } from "./counters";
import { DEV_GITHUB_SECRET, DEV_SLACK_SECRET, type ResolvedSecret, resolveSecret } from "./dev-secrets";
import { BodyTooLargeError, toFunctionUrlEvent, writeResult } from "./function-url";
import { createInspector } from "./inspector";
import { type EventSourceMapping, startEventSourceMapping } from "./lambda/event-source-mapping";
import { edgeLine, recordLine } from "./output";
import { restoreQueueSnapshot, saveQueueSnapshot } from "./queue-snapshot";
import { createLocalQueues, type LocalQueue } from "./resources";
import { LOCAL_SECRET_IDS, startLocalSecretsEndpoint } from "./secrets-endpoint";

export interface LocalRuntimeOptions {
  /** Default `PORT` or 3000; 0 picks a free port. */
  port?: number;
  host?: string;
  /** Where durable state lives (default `.data`). */
  dataDir?: string;
  /** Repository root (stack configuration, `.env`). Default: the current directory. */
  root?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides every queue's visibility timeout (quicker retries while developing). */
  visibilityTimeoutSeconds?: number;
  /** How long `stop()` waits for queued events to be processed (default 10 s). */
  drainTimeoutMs?: number;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
  /** Loads the ingest handler module after the environment is set (default: `require`). */
  ingest?: () => IngestModule;
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
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const REGION = "us-east-1";

/**
 * Runs the whole pipeline in one process: fauxqs (SQS, S3) and dynalite (DynamoDB, under
 * `dataDir`) in-process, the queues, DLQs and tables the stack would create, the real ingest
 * handler behind a Node HTTP server that builds function URL events, and every consumer fed by a
 * poller that behaves like the Lambda event source mapping.
 *
 * @example
 * const runtime = await startLocalRuntime({ port: 0 });
 * await fetch(`${runtime.url}/_/health`);
 * await runtime.stop();
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const root = resolve(options.root ?? ".");
  const file = readEnvFile(join(root, ".env"));
  const env = { ...file, ...(options.env ?? process.env) };
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(root, options.dataDir ?? env.LOCAL_DATA_DIR ?? ".data");
  mkdirSync(dataDir, { recursive: true });
  // The environment as it was at start: below, process.env gets the edge's configuration.
  const startEnv = { ...(options.env ?? process.env) };
  const resolveSecrets = (envFile: Readonly<Record<string, string>>) => ({
    github: resolveSecret(ENV.githubWebhookSecret, startEnv, envFile, DEV_GITHUB_SECRET),
    slack: resolveSecret(ENV.slackSigningSecret, startEnv, envFile, DEV_SLACK_SECRET),
  });
  const secrets = resolveSecrets(file);
  // The edge reads its secrets through Secrets Manager's API, as in AWS, answered from .env read
  // afresh: a secret changed in .env is used within SECRETS_TTL_SECONDS, without a restart.
  const secretsEndpoint = await startLocalSecretsEndpoint((id) => {
    const current = resolveSecrets(readEnvFile(join(root, ".env")));
    if (id === LOCAL_SECRET_IDS.github) return current.github.values;
    return id === LOCAL_SECRET_IDS.slack ? current.slack.values : undefined;
  });

  // fauxqs is ESM-only with no "require" export: load it with import().
  const { startFauxqs } = await import("fauxqs");
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const dynamo = dynalite({
    path: join(dataDir, "dynamodb"),
    createTableMs: 0,
    updateTableMs: 0,
    deleteTableMs: 0,
  });
  await new Promise<void>((done) => dynamo.listen(0, "127.0.0.1", done));
  const dynamoUrl = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  // Soak seam (soak/faults.ts): only with LOCAL_FAULTS=1, SQS and DynamoDB are reached through
  // TCP proxies the soak can cut (`/_/faults`), and consumers fail poison or random records.
  const faults = await startFaults(env, { sqs: fauxqs.address, dynamodb: dynamoUrl }, log);
  const common = { region: REGION, credentials: CREDENTIALS };
  const sqs = new SQSClient({ ...common, endpoint: faults?.sqs ?? fauxqs.address });
  const s3 = new S3Client({ ...common, endpoint: fauxqs.address, forcePathStyle: true });
  const ddb = new DynamoDBClient({ ...common, endpoint: faults?.dynamodb ?? dynamoUrl });

  const config = loadGatewayConfig({ root, env });
  await createIdempotencyTable(ddb, TABLES.idempotency);
  await createArchiveTable(ddb, TABLES.archive);
  fauxqs.createBucket(BUCKET);
  const visibility = options.visibilityTimeoutSeconds ?? numberOr(env.LOCAL_VISIBILITY_TIMEOUT_SECONDS);
  const queues = await createLocalQueues(sqs, config.consumers, { visibilityTimeoutSeconds: visibility });
  const snapshotPath = join(dataDir, "queues.json");
  const claimChecksPath = join(dataDir, "claim-checks.json");
  await restoreClaimChecks(s3, BUCKET, claimChecksPath);
  const urls = new Map(queues.flatMap((q) => [[q.name, q.url] as const, [q.dlqName, q.dlqUrl] as const]));
  const restored = await restoreQueueSnapshot(sqs, urls, snapshotPath);

  // The ingest handler reads its configuration from the environment at load, as in Lambda.
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: faults?.sqs ?? fauxqs.address,
    AWS_ENDPOINT_URL_S3: fauxqs.address,
    S3_FORCE_PATH_STYLE: "true",
    [ENV.claimCheckBucket]: BUCKET,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint.endpoint,
    [ENV.githubWebhookSecret]: "",
    [ENV.slackSigningSecret]: "",
    [ENV.githubWebhookSecretId]: LOCAL_SECRET_IDS.github,
    [ENV.slackSigningSecretId]: LOCAL_SECRET_IDS.slack,
    [ENV.secretsTtlSeconds]: env[ENV.secretsTtlSeconds] || String(LOCAL_SECRETS_TTL_SECONDS),
    [ENV.gatewayRoutes]: JSON.stringify(
      queues.map((q) => ({
        name: q.consumer.name,
        queueUrl: q.url,
        fifo: q.consumer.fifo,
        types: q.consumer.types,
        sources: q.consumer.sources,
      })),
    ),
    [ENV.powertoolsLogLevel]: env.LOG_LEVEL ?? "ERROR",
    [ENV.powertoolsMetricsDisabled]: "true",
    [ENV.powertoolsTraceEnabled]: "false",
  });
  const counters = createCounters(queues.map((q) => q.consumer.name));
  const onOutcome = (outcome: RecordOutcome) => {
    countRecord(counters, outcome);
    const line = recordLine(outcome);
    if (line) log(line);
  };
  const handlers = consumerHandlers(queues, env, { ddb, s3, onOutcome });
  faults?.wrapHandlers(handlers);

  const ingest = options.ingest?.() ?? loadIngest();
  const onEdge = (outcome: Outcome) => {
    countEdge(counters, outcome);
    log(edgeLine(outcome));
  };
  ingest.outcomeListeners.add(onEdge);

  const mappings: EventSourceMapping[] = [];
  for (const queue of queues) {
    const handler = handlers.get(queue.consumer.name);
    if (!handler) continue;
    mappings.push(
      await startEventSourceMapping({
        sqs,
        queueUrl: queue.url,
        handler,
        functionName: `local-${queue.consumer.name}`,
        functionTimeoutMs: queue.consumer.timeoutSeconds * 1000,
        batchSize: queue.consumer.batchSize,
        batchingWindowMs: queue.consumer.fifo ? 0 : queue.consumer.batchingWindowSeconds * 1000,
        onError: (error) => log(`  ! ${queue.consumer.name} poller: ${(error as Error).message}`),
      }),
    );
  }

  const queueDepths = () => {
    const depths: Record<string, { ready: number; inflight: number; deadLettered: number }> = {};
    for (const q of queues) {
      const main = fauxqs.inspectQueue(q.name)?.messages;
      const dlq = fauxqs.inspectQueue(q.dlqName)?.messages;
      depths[q.consumer.name] = {
        ready: (main?.ready.length ?? 0) + (main?.delayed.length ?? 0),
        inflight: main?.inflight.length ?? 0,
        deadLettered: (dlq?.ready.length ?? 0) + (dlq?.inflight.length ?? 0) + (dlq?.delayed.length ?? 0),
      };
    }
    return depths;
  };
  const dlqWatch = watchDeadLetters(queueDepths, log);

  const inspector = createInspector({
    archive: new ArchiveStore(ddb, TABLES.archive),
    ddb,
    idempotencyTable: TABLES.idempotency,
    consumers: queues.map((q) => ({
      name: q.consumer.name,
      filter: { types: q.consumer.types, sources: q.consumer.sources },
    })),
    counters,
    queues: queueDepths,
    startedAt: Date.now(),
  });
  const maxBody = numberOr(env[ENV.maxBodyBytes]) ?? MAX_BODY_BYTES;
  const server = createServer((req, res) => {
    if (faults?.handle(req, res)) return;
    if ((req.url ?? "").startsWith("/_/")) return void inspector(req, res);
    void (async () => {
      try {
        const event = await toFunctionUrlEvent(req, maxBody);
        writeResult(res, await ingest.handler(event, lambdaContext()));
      } catch (error) {
        // The function URL refuses bodies over its limit before Lambda runs.
        const status = error instanceof BodyTooLargeError ? 413 : 500;
        writeResult(res, {
          statusCode: status,
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({ error: status === 413 ? "payload_too_large" : "internal_error" }),
        });
      }
    })();
  });
  const port = options.port ?? numberOr(env.PORT) ?? 3000;
  await listen(server, port, options.host ?? "127.0.0.1");
  const url = `http://${options.host ?? "127.0.0.1"}:${(server.address() as AddressInfo).port}`;

  // fauxqs keeps messages in memory: snapshot them regularly so a crash loses at most a moment.
  const names = [...urls.keys()];
  // Writing a snapshot costs time in proportion to the backlog; wait at least 20 times as long as
  // the last write took (1 s minimum), so a large backlog cannot starve the event loop.
  let snapshotTimer: NodeJS.Timeout | undefined;
  const scheduleSnapshot = (delayMs: number) => {
    snapshotTimer = setTimeout(() => {
      const started = performance.now();
      saveQueueSnapshot(fauxqs, names, snapshotPath);
      scheduleSnapshot(Math.max(1000, 20 * (performance.now() - started)));
    }, delayMs);
  };
  scheduleSnapshot(1000);

  if (restored > 0) log(`  restored ${restored} queued messages from ${snapshotPath}`);
  const consumers = queues.map((q) => ({
    name: q.consumer.name,
    types: q.consumer.types,
    sources: q.consumer.sources,
    enabled: handlers.has(q.consumer.name),
    missing: handlers.missing.get(q.consumer.name) ?? [],
  }));

  let stopping: Promise<void> | undefined;
  return {
    url,
    secrets,
    consumers,
    endpoints: { sqs: fauxqs.address, dynamodb: dynamoUrl },
    stop: () => {
      stopping ??= (async () => {
        await new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        await drain(
          queueDepths,
          handlers,
          options.drainTimeoutMs ?? numberOr(env.LOCAL_DRAIN_TIMEOUT_MS) ?? 10_000,
        );
        await Promise.all(mappings.map((m) => m.stop()));
        clearTimeout(snapshotTimer);
        dlqWatch.stop();
        const saved = saveQueueSnapshot(fauxqs, names, snapshotPath);
        await saveClaimChecks(s3, BUCKET, claimChecksPath);
        if (saved > 0)
          log(`  ${saved} messages still queued were saved to ${snapshotPath}; they run at the next start`);
        ingest.outcomeListeners.delete(onEdge);
        sqs.destroy();
        s3.destroy();
        ddb.destroy();
        await faults?.stop();
        await fauxqs.stop();
        await new Promise<void>((done) => dynamo.close(() => done()));
        await secretsEndpoint.stop();
      })();
      return stopping;
    },
  };
}

export type IngestModule = {
  handler: (event: LambdaFunctionURLEvent, context: Context) => Promise<LambdaFunctionURLResult>;
  outcomeListeners: Set<(outcome: Outcome) => void>;
};

/**
 * The ingest handler reads its configuration once, at load, like a Lambda cold start: one local
 * runtime per process (tests load a fresh copy with `jest.isolateModules` through `options.ingest`).
 */
function loadIngest(): IngestModule {
  return require("../../handlers/ingest") as IngestModule;
}

function consumerHandlers(
  queues: readonly LocalQueue[],
  env: Readonly<Record<string, string | undefined>>,
  clients: { ddb: DynamoDBClient; s3: S3Client; onOutcome: (outcome: RecordOutcome) => void },
) {
  const handlers = new Map<string, SqsConsumerHandler>() as Map<string, SqsConsumerHandler> & {
    missing: Map<string, string[]>;
  };
  handlers.missing = new Map();
  for (const queue of queues) {
    const shipped = shippedConsumers({
      ...clients,
      config: {
        idempotencyTable: TABLES.idempotency,
        idempotencyTtlSeconds: IDEMPOTENCY_TTL_SECONDS,
        archiveTable: TABLES.archive,
        claimCheckBucket: BUCKET,
        slackBotToken: env[ENV.slackBotToken],
        slackApiUrl: env[ENV.slackApiUrl],
        notifyChannel: env[ENV.notifySlackChannel] ?? queue.consumer.environment[ENV.notifySlackChannel],
        fifo: queue.consumer.fifo,
      },
    }).find((c) => c.name === queue.consumer.name);
    if (!shipped) {
      handlers.missing.set(queue.consumer.name, [
        `no local handler (only the shipped consumers run locally)`,
      ]);
      continue;
    }
    if (shipped.missing.length > 0) {
      handlers.missing.set(queue.consumer.name, shipped.missing);
      continue;
    }
    handlers.set(queue.consumer.name, shipped.createHandler());
  }
  return handlers;
}

/** Waits until no enabled consumer has messages ready or in flight, or the timeout passes. */
async function drain(
  depths: () => Record<string, { ready: number; inflight: number }>,
  handlers: ReadonlyMap<string, unknown>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const busy = Object.entries(depths()).some(([name, d]) => handlers.has(name) && d.ready + d.inflight > 0);
    if (!busy) return;
    await new Promise((done) => setTimeout(done, 100));
  }
}

function watchDeadLetters(
  depths: () => Record<string, { deadLettered: number }>,
  log: (line: string) => void,
) {
  const seen = new Map<string, number>();
  const timer = setInterval(() => {
    for (const [name, d] of Object.entries(depths())) {
      const before = seen.get(name) ?? 0;
      if (d.deadLettered > before)
        log(
          `  ☠ ${name}: ${d.deadLettered - before} message(s) dead-lettered (${d.deadLettered} in ${name}-dlq)`,
        );
      seen.set(name, d.deadLettered);
    }
  }, 500);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

function lambdaContext(): Context {
  const deadline = Date.now() + 10_000;
  return {
    functionName: "local-ingest",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:local-ingest",
    memoryLimitInMB: "512",
    awsRequestId: crypto.randomUUID(),
    logGroupName: "/aws/lambda/local-ingest",
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      done();
    });
  });
}

function numberOr(value: string | undefined): number | undefined {
  return value === undefined || value === "" || Number.isNaN(Number(value)) ? undefined : Number(value);
}
