import type { Worker } from "node:worker_threads";
import { CodedError } from "../shared/errors";
import type { EmulatorEndpoints, QueueCount } from "./emulator-host";
import { startTsWorker } from "./ts-worker";

export type { QueueCount } from "./emulator-host";

export interface LocalEmulators {
  /** SQS and S3 (fauxqs), DynamoDB (dynalite), all on 127.0.0.1. */
  endpoints: EmulatorEndpoints;
  /** Each named queue's messages by state, read from fauxqs directly (no SQS round trip). */
  count(queues: readonly string[]): Promise<Record<string, QueueCount>>;
  stop(): Promise<void>;
}

/** What the worker is started with. */
export interface EmulatorWorkerData {
  dataDir: string;
  buckets: string[];
}

/** What the runtime asks the worker. */
export type EmulatorRequest = { id: number; count: readonly string[] } | { id: number; stop: true };

type WorkerMessage =
  | { ready: true; endpoints: EmulatorEndpoints }
  | { failed: string }
  | { id: number; result: unknown };

/** The emulators could not start, or their thread ended. */
export class EmulatorError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super("emulator_failed", message, options);
  }
}

/**
 * Starts fauxqs (SQS, S3) and dynalite (DynamoDB) in a worker thread of their own, their state
 * under `dataDir` (`fauxqs/`: SQLite, `dynamodb/`: LevelDB), each on a free port of 127.0.0.1,
 * with the given buckets. The thread belongs to this process: a crash of the runtime ends it too,
 * so no other process can still hold the data directory at the next start.
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
  const data: EmulatorWorkerData = { dataDir, buckets: [...buckets] };
  const worker = startTsWorker("src/local/emulator-worker.ts", data);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  let stopped = false;
  const ask = (request: Omit<EmulatorRequest, "id">) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  const endpoints = await ready(worker);
  worker.on("message", (message: WorkerMessage) => {
    if (!("id" in message)) return;
    pending.get(message.id)?.resolve(message.result);
    pending.delete(message.id);
  });
  worker.on("exit", (code) => {
    for (const { reject } of pending.values()) reject(new EmulatorError(`emulators exited with ${code}`));
    pending.clear();
    // The queues and tables are gone: nothing the runtime does can work any more.
    if (!stopped) throw new EmulatorError(`the emulators' thread ended unexpectedly (exit code ${code})`);
  });
  return {
    endpoints,
    count: (queues) => ask({ count: queues }) as Promise<Record<string, QueueCount>>,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((done) => worker.once("exit", done));
      await ask({ stop: true });
      await exited;
    },
  };
}

function ready(worker: Worker): Promise<EmulatorEndpoints> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new EmulatorError(`emulators exited with ${code} while starting`));
    worker.once("error", (error) =>
      reject(new EmulatorError(`emulators failed: ${error.message}`, { cause: error })),
    );
    worker.once("exit", onExit);
    worker.once("message", (message: WorkerMessage) => {
      worker.off("exit", onExit);
      if ("ready" in message) resolve(message.endpoints);
      else
        reject(new EmulatorError(`emulators failed to start: ${"failed" in message ? message.failed : "?"}`));
    });
  });
}
