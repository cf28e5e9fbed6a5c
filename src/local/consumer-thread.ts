import type { Worker } from "node:worker_threads";
import type { SQSRecord } from "aws-lambda";
import type { RecordOutcome } from "../consumers/types";
import type { LocalFaults } from "./fault-hook";
import { createLambdaContext } from "./lambda/lambda-context";
import type { LocalQueue } from "./resources";
import { LocalThreadError, startTsWorker } from "./ts-worker";

type Env = Readonly<Record<string, string | undefined>>;

/** What the consumers' worker is started with. */
export interface ConsumerThreadData {
  queues: LocalQueue[];
  env: Env;
  /** Where its clients connect (SQS and DynamoDB through the faults' endpoints). */
  endpoints: { sqs: string; s3: string; dynamodb: string };
  tables: { idempotencyTable: string; archiveTable: string; claimCheckBucket: string };
  /** Ask the runtime's faults which records of each batch fail before the handler runs. */
  gated: boolean;
}

export interface GateAnswer {
  gate: number;
  passed: string[];
  failures: { itemIdentifier: string }[];
}

/** What the runtime sends the consumers' worker. */
export type ToConsumers = GateAnswer | { stop: true };

type FromConsumers =
  | { ready: true; enabled: string[]; missing: [string, string[]][] }
  | { failed: string }
  | { outcome: RecordOutcome }
  | { line: string }
  | { gate: number; consumer: string; records: SQSRecord[] }
  | { stopped: true };

export interface ConsumerThread {
  /** The consumers that run. */
  enabled: ReadonlySet<string>;
  /** Why each other consumer does not run. */
  missing: ReadonlyMap<string, string[]>;
  /** Stops polling and waits for the batches in flight. */
  stop(): Promise<void>;
}

export interface ConsumerThreadOptions extends Omit<ConsumerThreadData, "gated"> {
  /** Given: each batch goes through `faults.wrapHandler` first (the soak). */
  faults?: LocalFaults;
  onOutcome: (outcome: RecordOutcome) => void;
  log: (line: string) => void;
}

/**
 * Runs the consumers and their pollers (`startPollers`) in a worker thread of their own: the
 * edge's event loop then serves requests only. Each record's outcome comes back to `onOutcome`.
 * With `faults`, a batch first goes through `faults.wrapHandler` here, in the runtime's thread
 * where the fault switches live; the records it lets through go on to the real handler there.
 *
 * @example
 * const consumers = await startConsumerThread({ queues, env, endpoints, tables, onOutcome, log });
 * await consumers.stop();
 */
export async function startConsumerThread(options: ConsumerThreadOptions): Promise<ConsumerThread> {
  const { faults, onOutcome, log, ...rest } = options;
  const data: ConsumerThreadData = { ...rest, gated: faults !== undefined };
  const worker = startTsWorker("src/local/consumer-worker.ts", data);
  let stopped = false;
  const started = await ready(worker);
  worker.on("message", (message: FromConsumers) => {
    if ("outcome" in message) onOutcome(withError(message.outcome));
    else if ("line" in message) log(message.line);
    else if ("gate" in message && faults) void answerGate(worker, faults, message);
  });
  worker.on("exit", (code) => {
    if (!stopped) throw new LocalThreadError(`the consumers' thread ended unexpectedly (exit code ${code})`);
  });
  return {
    ...started,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((done) => worker.once("exit", done));
      worker.postMessage({ stop: true } satisfies ToConsumers);
      await exited;
    },
  };
}

function ready(worker: Worker): Promise<Pick<ConsumerThread, "enabled" | "missing">> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new LocalThreadError(`consumers exited with ${code} while starting`));
    worker.once("error", (error) =>
      reject(new LocalThreadError(`consumers failed: ${error.message}`, { cause: error })),
    );
    worker.once("exit", onExit);
    worker.once("message", (message: FromConsumers) => {
      worker.off("exit", onExit);
      if ("ready" in message)
        resolve({ enabled: new Set(message.enabled), missing: new Map(message.missing) });
      else
        reject(
          new LocalThreadError(`consumers failed to start: ${"failed" in message ? message.failed : "?"}`),
        );
    });
  });
}

/** Runs the faults' wrapper on a batch with a handler that only notes which records reach it. */
async function answerGate(
  worker: Worker,
  faults: LocalFaults,
  request: { gate: number; consumer: string; records: SQSRecord[] },
): Promise<void> {
  let passed: string[] = [];
  const wrapped = faults.wrapHandler(request.consumer, async (event) => {
    passed = event.Records.map((record) => record.messageId);
    return { batchItemFailures: [] };
  });
  const context = createLambdaContext({ functionName: `local-${request.consumer}`, timeoutMs: 30_000 });
  const result = await wrapped({ Records: request.records }, context);
  const answer: GateAnswer = { gate: request.gate, passed, failures: result?.batchItemFailures ?? [] };
  worker.postMessage(answer satisfies ToConsumers);
}

function withError(outcome: RecordOutcome): RecordOutcome {
  const error = outcome.error as { message?: string } | undefined;
  return error?.message === undefined ? outcome : { ...outcome, error: new Error(error.message) };
}
