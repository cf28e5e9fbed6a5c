import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import dynalite from "dynalite";
import type { FauxqsServer } from "fauxqs";
import { cacheDynaliteTables } from "./dynalite-tables";
import { assertLoopback, LOOPBACK, onLoopback } from "./loopback";

/** Where the runtime's clients reach the emulators (all on 127.0.0.1). */
export interface EmulatorEndpoints {
  sqs: string;
  s3: string;
  dynamodb: string;
}

/** One queue's messages by state, as fauxqs holds them. */
export interface QueueCount {
  ready: number;
  delayed: number;
  inflight: number;
}

/** Which emulator a thread runs. */
export type EmulatorKind = "fauxqs" | "dynalite";

export interface HostedEmulator {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** fauxqs: each named queue's messages by state (queues that do not exist are left out). */
  count(queues: readonly string[]): Record<string, QueueCount>;
  /** One queue's messages by state (fauxqs's inspection API), as plain data; undefined if unknown. */
  inspect(queue: string): InspectedQueue | undefined;
  stop(): Promise<void>;
}

/**
 * Starts one emulator on 127.0.0.1 only: fauxqs (SQS and S3 in SQLite under `<dataDir>/fauxqs`,
 * every message and object written through, with the given buckets) or dynalite (DynamoDB on
 * LevelDB under `<dataDir>/dynamodb`). Runs in that emulator's worker thread (`emulator-worker.ts`).
 *
 * @example
 * const sqs = await hostEmulator("fauxqs", { dataDir: ".data", buckets: ["claim-checks"] });
 * sqs.count(["archive"]) // { archive: { ready: 3, delayed: 0, inflight: 10 } }
 */
export async function hostEmulator(
  kind: EmulatorKind,
  options: { dataDir: string; buckets: readonly string[] },
): Promise<HostedEmulator> {
  if (kind === "dynalite") return hostDynalite(join(options.dataDir, "dynamodb"));
  const fauxqs = await startDurableFauxqs(join(options.dataDir, "fauxqs"));
  for (const bucket of options.buckets) fauxqs.createBucket(bucket);
  return {
    endpoint: fauxqs.address,
    count: (queues) => countMessages(fauxqs, queues),
    inspect: (queue) => inspectMessages(fauxqs, queue),
    stop: () => fauxqs.stop(),
  };
}

async function hostDynalite(path: string): Promise<HostedEmulator> {
  cacheDynaliteTables();
  const dynamo = dynalite({ path, createTableMs: 0, updateTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((done) => dynamo.listen(0, LOOPBACK, done));
  return {
    endpoint: `http://${LOOPBACK}:${(dynamo.address() as AddressInfo).port}`,
    count: () => ({}),
    inspect: () => undefined,
    stop: () => new Promise<void>((done) => dynamo.close(() => done())),
  };
}

/**
 * fauxqs 2 with its SQLite persistence, on loopback. Its connection commits in WAL mode with
 * `synchronous = NORMAL` instead of SQLite's default `FULL`: each write still reaches the file
 * before fauxqs answers (a killed runtime loses nothing it acknowledged), but is not fsync'ed one
 * by one (5.8 ms each on this machine's disk, against 0.2 ms), the same guarantee as dynalite's
 * LevelDB. fauxqs exposes neither its listen address nor its database, hence the two scoped seams.
 */
async function startDurableFauxqs(dir: string): Promise<FauxqsServer> {
  // fauxqs is ESM-only with no "require" export: load it with import().
  const { startFauxqs } = await import("fauxqs");
  const fauxqs = await onLoopback(() =>
    withSqliteSyncNormal(() => startFauxqs({ port: 0, logger: false, dataDir: dir })),
  );
  assertLoopback("fauxqs", fauxqs.address);
  return fauxqs;
}

/** Runs `start` with every SQLite connection it uses switched to `synchronous = NORMAL` first. */
async function withSqliteSyncNormal<T>(start: () => Promise<T>): Promise<T> {
  const original = DatabaseSync.prototype.exec;
  const tuned = new WeakSet<DatabaseSync>();
  DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
    if (!tuned.has(this)) {
      tuned.add(this);
      original.call(this, "PRAGMA synchronous = NORMAL");
    }
    return original.call(this, sql);
  };
  try {
    return await start();
  } finally {
    DatabaseSync.prototype.exec = original;
  }
}

function countMessages(fauxqs: FauxqsServer, queues: readonly string[]): Record<string, QueueCount> {
  const counts: Record<string, QueueCount> = {};
  for (const name of queues) {
    const messages = fauxqs.inspectQueue(name)?.messages;
    if (!messages) continue;
    counts[name] = {
      ready: messages.ready.length,
      delayed: messages.delayed.length,
      inflight: messages.inflight.length,
    };
  }
  return counts;
}

/** A message as the inspector shows it. */
export interface InspectedMessage {
  messageId: string;
  body: string;
  sentTimestamp: number;
  approximateReceiveCount: number;
}

/** A queue's messages by state, cloneable across threads. */
export interface InspectedQueue {
  messages: {
    ready: InspectedMessage[];
    delayed: InspectedMessage[];
    inflight: { message: InspectedMessage }[];
  };
}

function inspectMessages(fauxqs: FauxqsServer, queue: string): InspectedQueue | undefined {
  const state = fauxqs.inspectQueue(queue);
  if (!state) return undefined;
  const plain = (m: InspectedMessage): InspectedMessage => ({
    messageId: m.messageId,
    body: m.body,
    sentTimestamp: m.sentTimestamp,
    approximateReceiveCount: m.approximateReceiveCount,
  });
  const { ready, delayed, inflight } = state.messages as unknown as {
    ready: InspectedMessage[];
    delayed: InspectedMessage[];
    inflight: { message: InspectedMessage }[];
  };
  return {
    messages: {
      ready: ready.map(plain),
      delayed: delayed.map(plain),
      inflight: inflight.map((i) => ({ message: plain(i.message) })),
    },
  };
}
