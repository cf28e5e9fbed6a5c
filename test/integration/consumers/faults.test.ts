/**
 * Faults around a consumer: CASES.md 33, 34 and 36. DynamoDB is made unreachable by closing the
 * port of a proxy in front of dynalite; the partial DeleteMessageBatch failure, which fauxqs never
 * produces, is injected into the SQS client (the entry is really not deleted).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startTcpProxy, type TcpProxy } from "../../../soak/tcp-proxy";
import { TEST_CREDENTIALS, TEST_REGION } from "../../helpers/emulators";
import { githubEvent, githubExample } from "../../helpers/factories";
import { failNextDeleteEntries } from "../../helpers/sqs-faults";
import { createQueuePair, queueDepth, sendEvent } from "../../helpers/sqs-queues";
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

async function empty(queueUrl: string): Promise<boolean> {
  const depth = await queueDepth(bench.sqs, queueUrl);
  return depth.visible === 0 && depth.inFlight === 0;
}

test("case 33: DeleteMessageBatch answering 200 with a failed entry leaves that message, which is then deduplicated", async () => {
  const queue = await createQueuePair(bench.sqs);
  const event = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });
  await sendEvent(bench.sqs, queue.queueUrl, event);
  const fault = failNextDeleteEntries(bench.sqs, 1);
  const counter = countingConsumer();

  try {
    const running = await bench.run(counter.consumer, queue);
    await waitFor(
      () => running.count("duplicate") === 1,
      "the undeleted message to come back as a duplicate",
    );
    await waitFor(() => empty(queue.queueUrl), "the message deleted on its second delivery");

    expect(fault.failed).toBe(1);
    const [first, second] = running.batches;
    expect(first?.deleted).toEqual([]);
    expect(first?.deleteFailures).toEqual([
      expect.objectContaining({ messageId: first?.left[0], code: "InternalError" }),
    ]);
    expect(second?.deleted).toEqual(first?.left);
    expect(counter.times(event.id)).toBe(1);
  } finally {
    fault.remove();
  }
});

describe("case 34: DynamoDB down when a consumer starts a record", () => {
  let proxy: TcpProxy;
  let ddb: DynamoDBClient;

  beforeEach(async () => {
    proxy = await startTcpProxy(bench.dynamoEndpoint);
    ddb = new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
      maxAttempts: 1,
    });
  });

  afterEach(async () => {
    ddb.destroy();
    await proxy.stop();
  });

  test("the record fails without its side effect, is retried, and runs once when DynamoDB is back", async () => {
    const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 10 });
    const event = githubEvent({ name: "push", payload: githubExample("push") });
    const counter = countingConsumer();
    await proxy.down();
    const running = await bench.run(counter.consumer, queue, { handler: { ddb } });

    await sendEvent(bench.sqs, queue.queueUrl, event);
    await waitFor(() => running.count("failed") >= 2, "two failed attempts while DynamoDB is down");
    expect(counter.effects).toEqual([]);
    expect(new Set(running.outcomes.map((outcome) => outcome.reason))).toEqual(
      new Set(["IdempotencyPersistenceLayerError"]),
    );

    await proxy.up();
    await waitFor(() => running.count("processed") === 1, "the retry after DynamoDB is back");
    await waitFor(() => empty(queue.queueUrl), "the message deleted");
    await quietPeriod(1500);

    expect(counter.times(event.id)).toBe(1);
    expect(await queueDepth(bench.sqs, queue.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
  });
});

test("case 36: after a crash mid-batch, finished records are not redone and the rest are retried", async () => {
  // The crash: the function dies on C's first attempt (it never returns; the invocation times
  // out), after A and B finished. Lambda then leaves the whole batch to the visibility timeout.
  const queue = await createQueuePair(bench.sqs, { visibilityTimeoutSeconds: 2, maxReceiveCount: 5 });
  const [a, b, c] = ["opened", "edited", "reopened"].map((action) =>
    githubEvent({ name: "issues", payload: githubExample("issues", action) }),
  ) as [ReturnType<typeof githubEvent>, ReturnType<typeof githubEvent>, ReturnType<typeof githubEvent>];
  let crashed = false;
  const effects: string[] = [];
  const consumer = {
    name: "crashy",
    filter: {},
    handler: async (event: { id: string }) => {
      if (event.id === c.id && !crashed) {
        crashed = true;
        await new Promise(() => undefined);
      }
      effects.push(event.id);
    },
  };
  for (const event of [a, b, c]) await sendEvent(bench.sqs, queue.queueUrl, event);

  const running = await bench.run(consumer, queue, {
    mapping: { batchingWindowMs: 300, functionTimeoutMs: 1000 },
  });
  await waitFor(() => effects.includes(c.id), "C to run on the retry");
  await waitFor(() => empty(queue.queueUrl), "all three deleted");

  const [first] = running.batches;
  expect(first?.size).toBe(3);
  expect(first?.outcome).toBe("timeout");
  expect(first?.deleted).toEqual([]);
  expect(effects.filter((id) => id === a.id)).toHaveLength(1);
  expect(effects.filter((id) => id === b.id)).toHaveLength(1);
  expect(effects.filter((id) => id === c.id)).toHaveLength(1);
  const retried = running.outcomes.filter((outcome) => outcome.eventId === a.id || outcome.eventId === b.id);
  expect(retried.map((outcome) => outcome.status)).toEqual([
    "processed",
    "processed",
    "duplicate",
    "duplicate",
  ]);
});
