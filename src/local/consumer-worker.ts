/**
 * The consumers' worker thread (started by `consumer-thread.ts`): every runnable consumer with the
 * project's listeners, and its pollers, off the event loop of the edge. Posts `{ ready, enabled,
 * missing }` (or `{ failed }`), then `{ outcomes }` (each turn's outcomes together) and `{ line }`
 * per listener line or poller error; with `gated`, asks the runtime which records of each batch the
 * faults let through (`{ gate }`, answered `{ gate, passed, failures }`); stops on `{ stop }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { RecordOutcome, SqsConsumerHandler } from "../consumers/types";
import { createLocalClients } from "./aws";
import { hostConsumers } from "./consumer-host";
import {
  type ConsumerThreadData,
  crossable,
  type FromConsumers,
  type GateAnswer,
  type ToConsumers,
} from "./consumer-thread";
import { PROJECT_LISTENERS } from "./consumers";
import { lowerThreadPriority } from "./thread-priority";

const port = parentPort!;
const data = workerData as ConsumerThreadData;
const gates = new Map<number, (answer: GateAnswer) => void>();
let nextGate = 0;

function post(message: FromConsumers): void {
  port.postMessage(message);
}

/** Outcomes posted once per turn of the event loop, together, rather than one message each. */
function outcomePoster(): (outcome: RecordOutcome) => void {
  let pending: RecordOutcome[] = [];
  return (outcome) => {
    if (pending.length === 0) {
      setImmediate(() => {
        const outcomes = pending;
        pending = [];
        post({ outcomes });
      });
    }
    pending.push(crossable(outcome));
  };
}

async function main(): Promise<void> {
  lowerThreadPriority();
  const clients = createLocalClients(data.endpoints);
  const consumers = await hostConsumers({
    queues: data.queues,
    env: data.env,
    clients,
    tables: data.tables,
    listeners: PROJECT_LISTENERS,
    onOutcome: outcomePoster(),
    log: (line) => post({ line }),
    wrap: data.gated ? gated : undefined,
    share: data.share,
  });
  port.on("message", (message: ToConsumers) => {
    if ("gate" in message) {
      gates.get(message.gate)?.(message);
      gates.delete(message.gate);
      return;
    }
    void consumers.stop().then(() => {
      clients.destroy();
      // The last turn's outcomes go out before the thread ends.
      setImmediate(() => {
        post({ stopped: true });
        port.close();
      });
    });
  });
  post({ ready: true, enabled: [...consumers.enabled], missing: [...consumers.missing] });
}

/** The runtime's faults decide first which records of a batch fail before the handler runs. */
function gated(consumer: string, inner: SqsConsumerHandler): SqsConsumerHandler {
  return async (event: SQSEvent, context) => {
    const gate = ++nextGate;
    const answer = await new Promise<GateAnswer>((resolve) => {
      gates.set(gate, resolve);
      post({ gate, consumer, records: event.Records });
    });
    const passed = new Set(answer.passed);
    const records = event.Records.filter((record) => passed.has(record.messageId));
    const failures: SQSBatchResponse["batchItemFailures"] = answer.failures;
    if (records.length === 0) return { batchItemFailures: failures };
    const result = await inner({ ...event, Records: records }, context);
    return { batchItemFailures: [...failures, ...(result?.batchItemFailures ?? [])] };
  };
}

main().catch((error: unknown) => {
  post({ failed: error instanceof Error ? error.message : String(error) });
});
