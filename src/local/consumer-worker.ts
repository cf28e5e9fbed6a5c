/**
 * The consumers' worker thread (started by `consumer-thread.ts`): every runnable consumer and its
 * pollers, off the event loop of the edge, as Lambda runs the consumers apart from the edge.
 * Posts `{ ready, enabled, missing }`, then `{ outcome }` per record and `{ line }` per poller
 * error; with `gated`, asks the runtime which records of each batch the faults let through
 * (`{ gate }`, answered `{ gate, passed, failures }`); stops on `{ stop }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from "../consumers/idempotency";
import type { RecordOutcome, SqsConsumerHandler } from "../consumers/types";
import { createLocalClients } from "./aws";
import type { ConsumerThreadData, GateAnswer, ToConsumers } from "./consumer-thread";
import { localConsumerHandlers, PROJECT_LISTENERS, startPollers } from "./consumers";
import { localObservability } from "./observability";
import { runInBackground } from "./thread-priority";

const port = parentPort!;
const data = workerData as ConsumerThreadData;
const gates = new Map<number, (answer: GateAnswer) => void>();
let nextGate = 0;

async function main(): Promise<void> {
  runInBackground();
  const clients = createLocalClients(data.endpoints);
  const { logger, metrics } = localObservability(data.env.LOG_LEVEL);
  const onOutcome = (outcome: RecordOutcome) => port.postMessage({ outcome: cloneable(outcome) });
  const consumers = localConsumerHandlers(
    data.queues,
    data.env,
    { ddb: clients.ddb, s3: clients.s3, logger, metrics, onOutcome },
    { ...data.tables, idempotencyTtlSeconds: DEFAULT_IDEMPOTENCY_TTL_SECONDS, listeners: PROJECT_LISTENERS },
  );
  if (data.gated) {
    for (const [name, handler] of consumers.handlers) consumers.handlers.set(name, gated(name, handler));
  }
  const mappings = await startPollers(clients.sqs, data.queues, consumers.handlers, (line) =>
    port.postMessage({ line }),
  );
  port.on("message", (message: ToConsumers) => {
    if ("gate" in message) {
      gates.get(message.gate)?.(message);
      gates.delete(message.gate);
      return;
    }
    void Promise.all(mappings.map((m) => m.stop())).then(() => {
      clients.destroy();
      port.postMessage({ stopped: true });
      port.close();
    });
  });
  port.postMessage({ ready: true, enabled: [...consumers.handlers.keys()], missing: [...consumers.missing] });
}

/** The runtime's faults decide first which records of a batch fail before the handler runs. */
function gated(consumer: string, inner: SqsConsumerHandler): SqsConsumerHandler {
  return async (event: SQSEvent, context) => {
    const gate = ++nextGate;
    const answer = await new Promise<GateAnswer>((resolve) => {
      gates.set(gate, resolve);
      port.postMessage({ gate, consumer, records: event.Records });
    });
    const failures: SQSBatchResponse["batchItemFailures"] = answer.failures;
    const passed = new Set(answer.passed);
    const records = event.Records.filter((record) => passed.has(record.messageId));
    if (records.length === 0) return { batchItemFailures: failures };
    const result = await inner({ ...event, Records: records }, context);
    return { batchItemFailures: [...failures, ...(result?.batchItemFailures ?? [])] };
  };
}

/** An outcome as a message can carry it: the error as its message only. */
function cloneable(outcome: RecordOutcome): RecordOutcome {
  if (outcome.error === undefined) return outcome;
  const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  return { ...outcome, error: { message } };
}

main().catch((error: unknown) => {
  port.postMessage({ failed: (error as Error).message });
});
