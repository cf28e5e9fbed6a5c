import type { EmulatorEndpoints, EmulatorKind, InspectedQueue, QueueCount } from "./emulator-host";
import { LocalThreadError, startAllOrNone, startTsWorker, threadReady } from "./ts-worker";

export type { QueueCount } from "./emulator-host";

export interface LocalEmulators {
  /** SQS and S3 (fauxqs), DynamoDB (dynalite), all on 127.0.0.1. */
  endpoints: EmulatorEndpoints;
  /** Each named queue's messages by state, read from fauxqs directly (no SQS round trip). */
  count(queues: readonly string[]): Promise<Record<string, QueueCount>>;
  /** One queue's messages (the inspector's dead-letter view); undefined for an unknown queue. */
  inspect(queue: string): Promise<InspectedQueue | undefined>;
  stop(): Promise<void>;
}

/** What an emulator's worker is started with. */
export interface EmulatorWorkerData {
  kind: EmulatorKind;
  dataDir: string;
  buckets: string[];
}

/** What the runtime asks an emulator's worker. */
export type EmulatorRequest =
  | { id: number; count: readonly string[] }
  | { id: number; inspect: string }
  | { id: number; stop: true };

type WorkerMessage = { ready: true; endpoint: string } | { failed: string } | { id: number; result: unknown };

/** One emulator's thread, seen from the runtime. */
interface EmulatorThread {
  endpoint: string;
  ask(request: { count: readonly string[] } | { inspect: string } | { stop: true }): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (SQS, S3) and dynalite (DynamoDB) in a worker thread each, their state under
 * `dataDir` (`fauxqs/`: SQLite, `dynamodb/`: LevelDB), each on a free port of 127.0.0.1, with
 * the given buckets. The threads belong to this process: a crash of the runtime ends them too, so
 * no other process can still hold the data directory at the next start.
 *
 * @example
 * const emulators = await startEmulators(".data", ["claim-checks"]);
 * await emulators.count(["archive"]); // { archive: { ready: 0, delayed: 0, inflight: 0 } }
 * await emulators.stop();
 */
export async function startEmulators(
  dataDir: string,
  buckets: readonly string[] = [],
): Promise<LocalEmulators> {
  const threads = await startAllOrNone(
    (["fauxqs", "dynalite"] as const).map((kind) =>
      startEmulatorThread({ kind, dataDir, buckets: [...buckets] }),
    ),
  );
  const [sqs, dynamodb] = threads as [EmulatorThread, EmulatorThread];
  return {
    endpoints: { sqs: sqs.endpoint, s3: sqs.endpoint, dynamodb: dynamodb.endpoint },
    count: (queues) => sqs.ask({ count: queues }) as Promise<Record<string, QueueCount>>,
    inspect: async (queue) => ((await sqs.ask({ inspect: queue })) as InspectedQueue | null) ?? undefined,
    stop: async () => {
      await Promise.all([dynamodb.stop(), sqs.stop()]);
    },
  };
}

async function startEmulatorThread(data: EmulatorWorkerData): Promise<EmulatorThread> {
  const worker = startTsWorker("src/local/emulator-worker.ts", data);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  let stopped = false;
  const ask = (request: { count: readonly string[] } | { inspect: string } | { stop: true }) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } satisfies EmulatorRequest);
    });
  const { endpoint } = await threadReady<{ ready: true; endpoint: string }>(worker, data.kind);
  worker.on("message", (message: WorkerMessage) => {
    if (!("id" in message)) return;
    pending.get(message.id)?.resolve(message.result);
    pending.delete(message.id);
  });
  worker.on("exit", (code) => {
    for (const { reject } of pending.values())
      reject(new LocalThreadError(`${data.kind} exited with ${code}`));
    pending.clear();
    // The queues or tables are gone: nothing the runtime does can work any more.
    if (!stopped) throw new LocalThreadError(`${data.kind}'s thread ended unexpectedly (exit code ${code})`);
  });
  return {
    endpoint,
    ask,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((done) => worker.once("exit", done));
      await ask({ stop: true });
      await exited;
    },
  };
}
