/**
 * Failures that end in the dead-letter queue: CASES.md 35, 38 and 39, through real queues with a
 * redrive policy (fauxqs) and a real idempotency table (dynalite).
 */
import { githubEvent, githubExample } from "../../helpers/factories";
import {
  createQueuePair,
  messageBody,
  queueDepth,
  receiveAll,
  sendEvent,
  sendRaw,
} from "../../helpers/sqs-queues";
import { quietPeriod, waitFor } from "../../helpers/sqs-wait";
import { countingConsumer } from "./support/counting-consumer";
import { type Bench, startBench } from "./support/harness";

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

test("case 35: one poison record fails alone and reaches the DLQ intact after maxReceiveCount", async () => {
  const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 2 });
  const good1 = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });
  const poison = githubEvent({ name: "push", payload: githubExample("push") });
  const good2 = githubEvent({ name: "release", payload: githubExample("release", "published") });
  for (const event of [good1, poison, good2]) await sendEvent(bench.sqs, queue.queueUrl, event);
  const counter = countingConsumer({ fail: (event) => event.id === poison.id });

  const running = await bench.run(counter.consumer, queue, { mapping: { batchingWindowMs: 300 } });
  await waitFor(
    async () => (await queueDepth(bench.sqs, queue.dlqUrl)).visible === 1,
    "the poison message in the DLQ",
  );

  const [first] = running.batches;
  expect(first?.size).toBe(3);
  expect(first?.outcome).toBe("partial");
  expect(first?.deleted).toHaveLength(2);
  expect(first?.left).toHaveLength(1);
  expect(counter.effects.sort()).toEqual([good1.id, good2.id].sort());
  expect(
    running.outcomes.filter((outcome) => outcome.eventId === poison.id).map((outcome) => outcome.status),
  ).toEqual(["failed", "failed"]);
  const [dead] = await receiveAll(bench.sqs, queue.dlqUrl);
  expect(dead?.Body).toBe(messageBody(poison));
  expect(dead?.MessageAttributes).toEqual({
    type: { DataType: "String", StringValue: "com.github.push" },
    source: { DataType: "String", StringValue: poison.source },
    provider: { DataType: "String", StringValue: "github" },
  });
  expect(await queueDepth(bench.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
});

test("case 38: when every record fails, all are reported failed and none is deleted", async () => {
  const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 2 });
  const events = ["opened", "edited", "reopened"].map((action) =>
    githubEvent({ name: "issues", payload: githubExample("issues", action) }),
  );
  for (const event of events) await sendEvent(bench.sqs, queue.queueUrl, event);
  const counter = countingConsumer({ fail: () => true });

  const running = await bench.run(counter.consumer, queue, { mapping: { batchingWindowMs: 300 } });
  await waitFor(() => running.batches.length >= 1, "the first batch");

  const [first] = running.batches;
  expect(first?.size).toBe(3);
  expect(first?.outcome).toBe("failure");
  expect(first?.deleted).toEqual([]);
  expect(first?.left).toHaveLength(3);
  await waitFor(
    async () => (await queueDepth(bench.sqs, queue.dlqUrl)).visible === 3,
    "all three in the DLQ",
  );
  const dead = await receiveAll(bench.sqs, queue.dlqUrl);
  expect(dead.map((message) => message.Body).sort()).toEqual(events.map(messageBody).sort());
  expect(counter.effects).toEqual([]);
});

test("case 39: a message with no event id goes to the DLQ and is never processed", async () => {
  const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 2 });
  const { id: _id, ...withoutId } = githubEvent({ name: "push", payload: githubExample("push") });
  const bodies = [
    messageBody(withoutId as never),
    JSON.stringify({ ...withoutId, id: "" }),
    JSON.stringify({ ...withoutId, id: 42 }),
    "not json at all",
  ];
  for (const body of bodies) await sendRaw(bench.sqs, queue.queueUrl, body);
  const counter = countingConsumer();

  const running = await bench.run(counter.consumer, queue, { mapping: { batchingWindowMs: 300 } });
  await waitFor(async () => (await queueDepth(bench.sqs, queue.dlqUrl)).visible === 4, "all four in the DLQ");
  await quietPeriod(200);

  expect(counter.effects).toEqual([]);
  expect(running.outcomes.every((outcome) => outcome.status === "failed")).toBe(true);
  expect(new Set(running.outcomes.map((outcome) => outcome.reason))).toEqual(new Set(["InvalidEventError"]));
  const dead = await receiveAll(bench.sqs, queue.dlqUrl);
  expect(dead.map((message) => message.Body).sort()).toEqual([...bodies].sort());
});
