/**
 * Copies of one event in flight at once (a GitHub redelivery, a Slack retry, an SQS duplicate)
 * are settled in seconds, never by waiting out a visibility timeout: copies in one batch run once,
 * and a copy meeting another invocation's in-progress record comes back within seconds. The queues'
 * visibility timeout is 60 s, so any copy left to it would hold the test past its waits.
 * Real queues (fauxqs) and a real idempotency table (dynalite).
 */

import type { SQSClient } from "@aws-sdk/client-sqs";
import { createConsumerHandler } from "../../../src/consumers/consumer-handler";
import { IN_PROGRESS_RETRY_SECONDS } from "../../../src/consumers/in-progress-retry";
import type { Consumer, RecordOutcome } from "../../../src/consumers/types";
import type { GatewayEvent } from "../../../src/contract/event";
import {
  fifoRecord,
  githubEvent,
  githubExample,
  lambdaContext,
  sqsEvent,
  sqsRecord,
} from "../../helpers/factories";
import { createQueuePair, type QueuePair, queueDepth, sendEvent } from "../../helpers/sqs-queues";
import { waitFor } from "../../helpers/sqs-wait";
import { countingConsumer } from "./support/counting-consumer";
import { type Bench, quietObservability, startBench } from "./support/harness";

const VISIBILITY_TIMEOUT_SECONDS = 60;
/** Every wait below ends well before a copy left to the visibility timeout could come back. */
const SETTLED_WITHIN_MS = 20_000;

let bench: Bench;

beforeAll(async () => {
  bench = await startBench();
});

afterEach(async () => {
  await bench.stopConsumers();
});

afterAll(async () => {
  await bench.stop();
});

const slowQueue = () => createQueuePair(bench.sqs, { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS });

async function empty(queue: QueuePair): Promise<boolean> {
  const depth = await queueDepth(bench.sqs, queue.queueUrl);
  return depth.visible === 0 && depth.inFlight === 0;
}

function distinctEvents(count: number): GatewayEvent[] {
  return Array.from({ length: count }, () => githubEvent({ name: "push", payload: githubExample("push") }));
}

/** Sends every event `copies` times, copies side by side (1, 1, 1, 2, 2, 2, …). */
async function sendCopies(queue: QueuePair, events: readonly GatewayEvent[], copies: number): Promise<void> {
  for (const event of events) {
    for (let i = 0; i < copies; i++) await sendEvent(bench.sqs, queue.queueUrl, event);
  }
}

test("three copies of each event in one batch: each handler runs once and every copy is deleted at once", async () => {
  const queue = await slowQueue();
  const events = distinctEvents(3);
  await sendCopies(queue, events, 3);
  const counter = countingConsumer();

  const running = await bench.run(counter.consumer, queue);
  await waitFor(() => running.outcomes.length === 9, "all nine copies settled", {
    timeoutMs: SETTLED_WITHIN_MS,
  });
  await waitFor(() => empty(queue), "every copy deleted", { timeoutMs: SETTLED_WITHIN_MS });

  expect(running.batches.map((batch) => [batch.size, batch.outcome, batch.left])).toEqual([
    [9, "success", []],
  ]);
  for (const event of events) expect(counter.times(event.id)).toBe(1);
  expect(running.count("processed")).toBe(3);
  expect(running.count("duplicate")).toBe(6);
  expect(running.count("failed")).toBe(0);
});

test("when the first copy in a batch fails, its later copies fail with it without running", async () => {
  const queue = await slowQueue();
  const [event] = distinctEvents(1) as [GatewayEvent];
  await sendCopies(queue, [event], 3);
  let attempts = 0;
  const counter = countingConsumer({ fail: () => ++attempts > 0 });

  const running = await bench.run(counter.consumer, queue);
  await waitFor(() => running.batches.length === 1, "the batch");

  expect(attempts).toBe(1);
  expect(counter.effects).toEqual([]);
  expect(running.outcomes.map((outcome) => [outcome.eventId, outcome.status, outcome.reason])).toEqual([
    [event.id, "failed", "Error"],
    [event.id, "failed", "CopyOfFailedRecordError"],
    [event.id, "failed", "CopyOfFailedRecordError"],
  ]);
  expect(running.batches[0]).toMatchObject({ size: 3, outcome: "failure", deleted: [] });
  expect(running.batches[0]!.left).toHaveLength(3);
});

test("a copy meeting another invocation's in-progress record comes back within seconds and is skipped", async () => {
  const queue = await slowQueue();
  const [event] = distinctEvents(1) as [GatewayEvent];
  const held = holdingConsumer();
  // Another invocation of the same consumer holds the event: its handler waits for `release`.
  const other = createConsumerHandler(held.consumer, {
    ddb: bench.ddb,
    idempotencyTable: bench.idempotencyTable,
    ...quietObservability(),
  });
  const otherInvocation = other(sqsEvent([sqsRecord(event)]), lambdaContext());
  await waitFor(() => held.started === 1, "the other invocation to hold the event");

  const running = await bench.run(held.consumer, queue);
  await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(() => running.count("failed") === 1, "the copy to meet the in-progress record");
  held.release();
  expect(await otherInvocation).toEqual({ batchItemFailures: [] });
  await waitFor(() => running.count("duplicate") === 1, "the copy to come back and find the event done", {
    timeoutMs: SETTLED_WITHIN_MS,
  });
  await waitFor(() => empty(queue), "the copy deleted", { timeoutMs: SETTLED_WITHIN_MS });

  expect(held.started).toBe(1);
  expect(running.outcomes.map((outcome) => [outcome.status, outcome.reason, outcome.retryInSeconds])).toEqual(
    [
      ["failed", "IdempotencyAlreadyInProgressError", IN_PROGRESS_RETRY_SECONDS],
      ["duplicate", undefined, undefined],
    ],
  );
  expect(running.batches.map((batch) => batch.outcome)).toEqual(["failure", "success"]);
});

test("FIFO: a record meeting an in-progress record comes back soon with the rest of its group", async () => {
  const [held, next] = distinctEvents(2) as [GatewayEvent, GatewayEvent];
  const holding = holdingConsumer();
  const quiet = { ddb: bench.ddb, idempotencyTable: bench.idempotencyTable, ...quietObservability() };
  const otherInvocation = createConsumerHandler(holding.consumer, quiet)(
    sqsEvent([sqsRecord(held)]),
    lambdaContext(),
  );
  await waitFor(() => holding.started === 1, "the other invocation to hold the first event");
  const changes: unknown[] = [];
  const sqs = { send: async (command: { input: unknown }) => void changes.push(command.input) };
  const queueUrl = "http://127.0.0.1:1/000000000000/consumer.fifo";
  const outcomes: RecordOutcome[] = [];
  const handler = createConsumerHandler(holding.consumer, {
    ...quiet,
    fifo: true,
    sqs: sqs as unknown as SQSClient,
    queueUrl,
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  const records = [fifoRecord(held, "octo/hello", 1), fifoRecord(next, "octo/hello", 2)];

  const response = await handler(sqsEvent(records), lambdaContext());
  holding.release();
  await otherInvocation;

  expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(
    records.map((record) => record.messageId),
  );
  expect(changes).toEqual(
    records.map((record) => ({
      QueueUrl: queueUrl,
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: IN_PROGRESS_RETRY_SECONDS,
    })),
  );
  expect(outcomes.map((o) => [o.messageId, o.status, o.reason, o.retryInSeconds])).toEqual([
    [records[0]!.messageId, "failed", "IdempotencyAlreadyInProgressError", IN_PROGRESS_RETRY_SECONDS],
    [records[1]!.messageId, "failed", "FifoGroupSkipped", IN_PROGRESS_RETRY_SECONDS],
  ]);
  expect(holding.started).toBe(1);
});

test("a burst in which every delivery arrives three times settles like a single pass (no visibility-timeout wait)", async () => {
  const events = distinctEvents(12);
  const single = await timedPass("single", events, 1);
  const triple = await timedPass("triple", events, 3);
  console.log(
    `burst of ${events.length} events: single pass ${single.ms} ms, every delivery three times ${triple.ms} ms (×${(
      triple.ms / single.ms
    ).toFixed(2)})`,
  );

  for (const event of events) expect(triple.counter.times(event.id)).toBe(1);
  expect(triple.running.count("processed")).toBe(events.length);
  expect(triple.running.count("duplicate")).toBe(2 * events.length);
  // Any copy that failed met an in-progress record in a concurrent batch, and was put back within seconds.
  for (const failure of triple.running.outcomes.filter((outcome) => outcome.status === "failed")) {
    expect([failure.reason, failure.retryInSeconds]).toEqual([
      "IdempotencyAlreadyInProgressError",
      IN_PROGRESS_RETRY_SECONDS,
    ]);
  }
  expect(triple.ms).toBeLessThan(VISIBILITY_TIMEOUT_SECONDS * 1000);
});

/**
 * Queues every event `copies` times (copies side by side, as redeliveries and retries arrive), then
 * runs a consumer of its own (its own idempotency records) until every copy is settled and deleted.
 */
async function timedPass(name: string, events: readonly GatewayEvent[], copies: number) {
  const queue = await slowQueue();
  await sendCopies(queue, events, copies);
  const counter = countingConsumer({ name, delayMs: 50 });
  const started = performance.now();
  const running = await bench.run(counter.consumer, queue);
  const settled = () => running.count("processed") + running.count("duplicate") === events.length * copies;
  await waitFor(settled, `every copy settled (${name})`, { timeoutMs: SETTLED_WITHIN_MS });
  await waitFor(() => empty(queue), `every copy deleted (${name})`, { timeoutMs: SETTLED_WITHIN_MS });
  return { counter, running, ms: Math.round(performance.now() - started) };
}

/** A consumer whose first run holds the event (in progress) until `release()`. */
function holdingConsumer(): { consumer: Consumer; started: number; release(): void } {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = {
    started: 0,
    release: () => release(),
    consumer: {
      name: "held",
      filter: {},
      handler: async () => {
        held.started++;
        await gate;
      },
    } satisfies Consumer,
  };
  return held;
}
