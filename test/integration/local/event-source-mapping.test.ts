/**
 * The poller against fauxqs: records shaped as Lambda builds them, batching, stopping, what is
 * deleted and what is left, and the queue's redrive policy doing the dead-lettering.
 */
import { createHash } from "node:crypto";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { startEventSourceMapping } from "../../../src/local/lambda/event-source-mapping";
import { githubEvent, githubExample } from "../../helpers/factories";
import {
  createQueuePair,
  messageBody,
  queueDepth,
  receiveAll,
  sendEvent,
  sendRaw,
} from "../../helpers/sqs-queues";
import { waitFor } from "../../helpers/sqs-wait";
import { type Bench, startBench } from "../consumers/support/harness";

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

type Invocation = { event: SQSEvent; context: Context; remaining: number };

function recorder(
  respond: (event: SQSEvent) => SQSBatchResponse | Promise<SQSBatchResponse> = () => ({
    batchItemFailures: [],
  }),
) {
  const invocations: Invocation[] = [];
  const handler = async (event: SQSEvent, context: Context) => {
    invocations.push({ event, context, remaining: context.getRemainingTimeInMillis() });
    return respond(event);
  };
  return { invocations, handler };
}

test("records and context are what Lambda hands an SQS-triggered function", async () => {
  const queue = await createQueuePair(bench.sqs);
  const event = githubEvent({ name: "push", payload: githubExample("push") });
  await sendEvent(bench.sqs, queue.queueUrl, event);
  const { invocations, handler } = recorder();

  await bench.runHandler(handler, queue, { functionName: "archive", functionTimeoutMs: 3000 });
  await waitFor(() => invocations.length === 1, "one invocation");

  const [{ event: sqsEvent, context, remaining }] = invocations as [Invocation];
  const [record] = sqsEvent.Records;
  const body = messageBody(event);
  expect(Object.keys(record ?? {}).sort()).toEqual(
    [
      "attributes",
      "awsRegion",
      "body",
      "eventSource",
      "eventSourceARN",
      "md5OfBody",
      "md5OfMessageAttributes",
      "messageAttributes",
      "messageId",
      "receiptHandle",
    ].sort(),
  );
  expect(record).toMatchObject({
    body,
    md5OfBody: createHash("md5").update(body).digest("hex"),
    eventSource: "aws:sqs",
    eventSourceARN: queue.queueArn,
    awsRegion: "us-east-1",
    messageAttributes: {
      type: {
        stringValue: "com.github.push",
        stringListValues: [],
        binaryListValues: [],
        dataType: "String",
      },
      source: { stringValue: event.source, stringListValues: [], binaryListValues: [], dataType: "String" },
      provider: { stringValue: "github", stringListValues: [], binaryListValues: [], dataType: "String" },
    },
  });
  expect(record?.attributes).toEqual({
    ApproximateReceiveCount: "1",
    SentTimestamp: expect.stringMatching(/^\d{13}$/),
    SenderId: expect.any(String),
    ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
  });
  expect(context.functionName).toBe("archive");
  expect(context.invokedFunctionArn).toBe("arn:aws:lambda:us-east-1:000000000000:function:archive");
  expect(remaining).toBeGreaterThan(2000);
  expect(remaining).toBeLessThanOrEqual(3000);
});

test("FIFO records carry their group, deduplication id and sequence number", async () => {
  const queue = await createQueuePair(bench.sqs, { fifo: true });
  const event = githubEvent({ name: "push", payload: githubExample("push") });
  await sendEvent(bench.sqs, queue.queueUrl, event, { groupId: "Codertocat/Hello-World" });
  const { invocations, handler } = recorder();

  await bench.runHandler(handler, queue);
  await waitFor(() => invocations.length === 1, "one invocation");

  expect(invocations[0]?.event.Records[0]?.attributes).toMatchObject({
    MessageGroupId: "Codertocat/Hello-World",
    MessageDeduplicationId: event.id,
    SequenceNumber: expect.stringMatching(/^\d+$/),
  });
});

test("batches hold at most batchSize records, gathered over the batching window", async () => {
  // As in AWS, the visibility timeout must exceed the batching window (plus the function timeout).
  const queue = await createQueuePair(bench.sqs, { visibilityTimeoutSeconds: 5 });
  const { invocations, handler } = recorder();
  await bench.runHandler(handler, queue, { batchSize: 3, batchingWindowMs: 2000 });

  for (let index = 0; index < 5; index++) {
    await sendRaw(bench.sqs, queue.queueUrl, JSON.stringify({ index }));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await waitFor(
    () => invocations.reduce((sum, call) => sum + call.event.Records.length, 0) === 5,
    "five records",
  );

  expect(invocations.map((call) => call.event.Records.length)).toEqual([3, 2]);
});

test("a message received twice within one window is invoked once, with its newest receipt handle", async () => {
  const queue = await createQueuePair(bench.sqs, { visibilityTimeoutSeconds: 1 });
  const { invocations, handler } = recorder();
  await sendRaw(bench.sqs, queue.queueUrl, '{"n":1}');

  const { batches } = await bench.runHandler(handler, queue, { batchSize: 3, batchingWindowMs: 1500 });
  await waitFor(() => batches.length === 1, "the batch");

  expect(
    invocations[0]?.event.Records.map((record) => [record.body, record.attributes.ApproximateReceiveCount]),
  ).toEqual([['{"n":1}', "2"]]);
  expect(batches[0]?.deleted).toHaveLength(1);
  expect(await queueDepth(bench.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
});

test("only succeeded records are deleted; failed ones come back after the visibility timeout", async () => {
  const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 5 });
  const failedOnce = new Set<string>();
  const { invocations, handler } = recorder((event) => ({
    batchItemFailures: event.Records.filter(
      (record) => record.body.includes("fail") && !failedOnce.has(record.messageId),
    ).map((record) => {
      failedOnce.add(record.messageId);
      return { itemIdentifier: record.messageId };
    }),
  }));
  await sendRaw(bench.sqs, queue.queueUrl, '{"n":"ok"}');
  await sendRaw(bench.sqs, queue.queueUrl, '{"n":"fail"}');

  const { batches } = await bench.runHandler(handler, queue, { batchingWindowMs: 300 });
  await waitFor(async () => {
    const depth = await queueDepth(bench.sqs, queue.queueUrl);
    return batches.length === 2 && depth.visible + depth.inFlight === 0;
  }, "the failed record redelivered and deleted");

  expect(batches.map((batch) => [batch.outcome, batch.size, batch.deleted.length])).toEqual([
    ["partial", 2, 1],
    ["success", 1, 1],
  ]);
  const redelivered = invocations[1]?.event.Records[0];
  expect(redelivered?.body).toBe('{"n":"fail"}');
  expect(redelivered?.attributes.ApproximateReceiveCount).toBe("2");
});

test.each([
  ["the handler throws", "error", async () => Promise.reject(new Error("boom"))],
  [
    "the response names an unknown record",
    "invalid_response",
    async () => ({ batchItemFailures: [{ itemIdentifier: "nope" }] }),
  ],
  ["the handler outlives its timeout", "timeout", () => new Promise<SQSBatchResponse>(() => undefined)],
])(
  "when %s the whole batch is left, then dead-lettered by the redrive policy",
  async (_name, outcome, respond) => {
    const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 2 });
    const { invocations, handler } = recorder(respond);
    await sendRaw(bench.sqs, queue.queueUrl, '{"n":1}');
    await sendRaw(bench.sqs, queue.queueUrl, '{"n":2}');

    const { batches } = await bench.runHandler(handler, queue, {
      batchingWindowMs: 300,
      functionTimeoutMs: 300,
    });
    await waitFor(async () => (await queueDepth(bench.sqs, queue.dlqUrl)).visible === 2, "both in the DLQ");

    expect(batches.every((batch) => batch.outcome === outcome && batch.deleted.length === 0)).toBe(true);
    // Received twice each (maxReceiveCount 2), never a third time: the third receive moved them.
    const receiveCounts = invocations.flatMap((call) =>
      call.event.Records.map((r) => r.attributes.ApproximateReceiveCount),
    );
    expect(receiveCounts.sort()).toEqual(["1", "1", "2", "2"]);
    const dead = await receiveAll(bench.sqs, queue.dlqUrl);
    expect(dead.map((message) => message.Body).sort()).toEqual(['{"n":1}', '{"n":2}']);
  },
);

test("stop() ends a 20 s long poll at once", async () => {
  const queue = await createQueuePair(bench.sqs);
  const { handler } = recorder();
  const mapping = await startEventSourceMapping({
    sqs: bench.sqs,
    queueUrl: queue.queueUrl,
    handler,
    functionName: "idle",
    functionTimeoutMs: 1000,
    waitTimeSeconds: 20,
  });
  await new Promise((resolve) => setTimeout(resolve, 100));

  const started = performance.now();
  await mapping.stop();

  expect(performance.now() - started).toBeLessThan(1000);
});

test("stop() waits for the batch in flight, which is deleted", async () => {
  const queue = await createQueuePair(bench.sqs);
  let finished = false;
  const handler = async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    finished = true;
    return { batchItemFailures: [] };
  };
  const mapping = await startEventSourceMapping({
    sqs: bench.sqs,
    queueUrl: queue.queueUrl,
    handler,
    functionName: "busy",
    functionTimeoutMs: 2000,
    waitTimeSeconds: 1,
  });
  await sendRaw(bench.sqs, queue.queueUrl, "{}");
  await waitFor(
    async () => (await queueDepth(bench.sqs, queue.queueUrl)).inFlight === 1,
    "the message in flight",
  );

  await mapping.stop();

  expect(finished).toBe(true);
  expect(mapping.stats).toMatchObject({ batches: 1, received: 1, deleted: 1, left: 0 });
  expect(await queueDepth(bench.sqs, queue.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
});
