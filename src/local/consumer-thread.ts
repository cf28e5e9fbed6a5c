import type { Worker } from "node:worker_threads";
import type { SQSRecord } from "aws-lambda";
import { fullStack } from "../consumers/errors";
import type { RecordOutcome } from "../consumers/types";
import type { LocalConsumerTables, RunningConsumers } from "./consumer-host";
import type { PollerShare } from "./consumers";
import type { LocalFaults } from "./fault-hook";
import { createLambdaContext } from "./lambda/lambda-context";
import type { LocalQueue } from "./resources";
import { LocalThreadError, startAllOrNone, startTsWorker, threadReady } from "./ts-worker";

type Env = Readonly<Record<string, string | undefined>>;

/** What the consumers' worker is started with. */
export interface ConsumerThreadData {
  queues: LocalQueue[];
  env: Env;
  /** Where its clients connect (SQS and DynamoDB through the faults' endpoints). */
  endpoints: { sqs: string; s3: string; dynamodb: string };
  tables: LocalConsumerTables;
  /** Ask the runtime's faults which records of each batch fail before the handler runs. */
  gated: boolean;
  /** Which thread this is, of how many: they share each consumer's pollers. */
  share: PollerShare;
}

/** The faults' verdict on one batch: the records that go on to the handler, and those failed. */
export interface GateAnswer {
  gate: number;
  passed: string[];
  failures: { itemIdentifier: string }[];
}

/** What the runtime sends the consumers' worker. */
export type ToConsumers = GateAnswer | { stop: true };

/** An error as it crosses threads: what the runtime's lines and the inspector show of it. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
}

/** What the consumers' worker sends the runtime. */
export type FromConsumers =
  | { ready: true; enabled: string[]; missing: [string, string[]][] }
  | { failed: string }
  | { outcomes: RecordOutcome[] }
  | { line: string }
  | { gate: number; consumer: string; records: SQSRecord[] }
  | { stopped: true };

export interface ConsumerThreadOptions extends Omit<ConsumerThreadData, "gated" | "queues" | "share"> {
  queues: readonly LocalQueue[];
  /** How many threads run the consumers, sharing each consumer's pollers (default 1). */
  threads?: number;
  /** Given: each batch goes through `faults.wrapHandler` first (the soak). */
  faults?: LocalFaults;
  onOutcome: (outcome: RecordOutcome) => void;
  log: (line: string) => void;
}

/**
 * Runs the consumers and their pollers in worker threads of their own, as Lambda runs them apart
 * from the edge and in several instances at once: the runtime's event loop then serves the edge
 * and the inspector only, and each thread polls with its share of every consumer's pollers. Each
 * record's outcome comes back to `onOutcome` (its error as name, message and stack), each listener
 * line to `log`. With `faults`, a batch first goes through `faults.wrapHandler` in the runtime's
 * thread, where the fault switches live; the records it lets through go on to the real handler.
 *
 * @example
 * const consumers = await startConsumerThreads({ queues, env, endpoints, tables, onOutcome, log, threads: 2 });
 * await consumers.stop();
 */
export async function startConsumerThreads(options: ConsumerThreadOptions): Promise<RunningConsumers> {
  const of = Math.max(1, Math.floor(options.threads ?? 1));
  const threads = await startAllOrNone(
    Array.from({ length: of }, (_, index) => startConsumerThread(options, { index, of })),
  );
  // Every thread builds the same consumers from the same configuration.
  const { enabled, missing } = threads[0]!;
  return { enabled, missing, stop: async () => void (await Promise.all(threads.map((t) => t.stop()))) };
}

async function startConsumerThread(
  options: ConsumerThreadOptions,
  share: PollerShare,
): Promise<RunningConsumers> {
  const { faults, onOutcome, log, queues, threads: _threads, ...rest } = options;
  const data: ConsumerThreadData = { ...rest, queues: [...queues], gated: faults !== undefined, share };
  const worker = startTsWorker("src/local/consumer-worker.ts", data, { sourceMaps: true });
  let stopped = false;
  const ready = await threadReady<Extract<FromConsumers, { ready: true }>>(worker, "the consumers' thread");
  const started = { enabled: new Set(ready.enabled), missing: new Map(ready.missing) };
  worker.on("message", (message: FromConsumers) => {
    if ("outcomes" in message) for (const outcome of message.outcomes) onOutcome(revived(outcome));
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

/**
 * An outcome as a message carries it: its error as name, message and stack (a class of the
 * consumers' thread means nothing here).
 *
 * @example
 * port.postMessage({ outcomes: [crossable(outcome)] });
 */
export function crossable(outcome: RecordOutcome): RecordOutcome {
  if (outcome.error === undefined) return outcome;
  const error = outcome.error;
  const plain: ThreadError =
    error instanceof Error
      ? { name: error.name, message: error.message, stack: fullStack(error) }
      : { name: "Error", message: String(error) };
  return { ...outcome, error: plain };
}

/** The outcome with its error an `Error` again, carrying the original's name, message and stack. */
function revived(outcome: RecordOutcome): RecordOutcome {
  const plain = outcome.error as ThreadError | undefined;
  if (plain === undefined) return outcome;
  const error = new Error(plain.message);
  error.name = plain.name;
  error.stack = plain.stack;
  return { ...outcome, error };
}
