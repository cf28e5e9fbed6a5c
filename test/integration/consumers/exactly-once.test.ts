/**
 * One effect per event id, whatever the queue delivers: CASES.md 32, 37 and 40, redeliveries days
 * apart, and per-consumer scoping. Real queues (fauxqs) and a real idempotency table (dynalite).
 */
import { processingState } from "../../../src/consumers/processing-state";
import { githubEvent, githubExample, slackEventsApiEvent } from "../../helpers/factories";
import { createQueuePair, queueDepth, redrive, sendEvent } from "../../helpers/sqs-queues";
import { quietPeriod, waitFor } from "../../helpers/sqs-wait";
import { countingConsumer } from "./support/counting-consumer";
import { type Bench, startBench } from "./support/harness";

const DAY_MS = 24 * 60 * 60 * 1000;
const realNow = Date.now.bind(Date);

let bench: Bench;

beforeAll(async () => {
  bench = await startBench();
});

afterEach(async () => {
  await bench.stopConsumers();
  jest.restoreAllMocks();
});

afterAll(async () => {
  await bench.stop();
});

/** Sets `Date.now` (Powertools' clock) `ms` ahead of real time; the poller's deadlines use the monotonic clock. */
function advanceClock(ms: number): void {
  jest.spyOn(Date, "now").mockImplementation(() => realNow() + ms);
}

async function empty(queueUrl: string): Promise<boolean> {
  const depth = await queueDepth(bench.sqs, queueUrl);
  return depth.visible === 0 && depth.inFlight === 0;
}

test("case 32: a send that timed out but landed, then retried, is two messages and one effect", async () => {
  const queue = await createQueuePair(bench.sqs);
  const event = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });
  await sendEvent(bench.sqs, queue.queueUrl, event);
  await sendEvent(bench.sqs, queue.queueUrl, event);
  const counter = countingConsumer();

  const running = await bench.run(counter.consumer, queue);
  await waitFor(() => running.count("processed") + running.count("duplicate") === 2, "both copies handled");
  await waitFor(() => empty(queue.queueUrl), "both messages deleted");

  expect(counter.times(event.id)).toBe(1);
  expect(running.count("processed")).toBe(1);
  expect(running.count("duplicate")).toBe(1);
  expect(await queueDepth(bench.sqs, queue.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
});

test("case 37: two copies processed at the same time: one runs, the other retries and finds it done", async () => {
  // The first copy stays in progress for a second; the visibility timeout outlasts it, so only
  // the second copy can come back (once) while the first is still running.
  const queue = await createQueuePair(bench.sqs, { visibilityTimeoutSeconds: 3 });
  const event = githubEvent({ name: "push", payload: githubExample("push") });
  const counter = countingConsumer({ delayMs: 1000 });
  // Two concurrent pollers taking one message each: two Lambda invocations at once.
  const running = await bench.run(counter.consumer, queue, { mapping: { concurrency: 2, batchSize: 1 } });

  await sendEvent(bench.sqs, queue.queueUrl, event);
  await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(() => running.count("duplicate") === 1, "the second copy to find the first done");
  await waitFor(() => empty(queue.queueUrl), "both messages deleted");

  expect(counter.times(event.id)).toBe(1);
  expect(running.count("processed")).toBe(1);
  const failures = running.outcomes.filter((outcome) => outcome.status === "failed");
  expect(failures.map((failure) => failure.reason)).toEqual(["IdempotencyAlreadyInProgressError"]);
});

test("a GitHub delivery redelivered 2 and 6 days later, then duplicated by SQS, has one effect", async () => {
  const queue = await createQueuePair(bench.sqs);
  const counter = countingConsumer();
  const running = await bench.run(counter.consumer, queue);
  const delivery = "9c4a0b6e-cc78-11e3-81ab-4c9367dc0958";
  const payload = githubExample("pull_request", "opened");

  await sendEvent(bench.sqs, queue.queueUrl, githubEvent({ name: "pull_request", payload, delivery }));
  await waitFor(() => running.outcomes.length === 1, "the first delivery");
  advanceClock(2 * DAY_MS);
  const redelivery = githubEvent({
    name: "pull_request",
    payload,
    delivery,
    receivedAt: new Date(Date.now()),
  });
  await sendEvent(bench.sqs, queue.queueUrl, redelivery);
  await waitFor(() => running.outcomes.length === 2, "the redelivery 2 days later");
  advanceClock(6 * DAY_MS);
  await sendEvent(bench.sqs, queue.queueUrl, redelivery);
  await sendEvent(bench.sqs, queue.queueUrl, redelivery);
  await waitFor(() => running.outcomes.length === 4, "the redelivery 6 days later and its SQS duplicate");

  expect(counter.effects).toEqual([`github:${delivery}`]);
  expect(running.outcomes.map((outcome) => outcome.status)).toEqual([
    "processed",
    "duplicate",
    "duplicate",
    "duplicate",
  ]);
  await waitFor(() => empty(queue.queueUrl), "every copy deleted");
});

test("the idempotency record lasts 7 days: a redelivery 8 days later runs again", async () => {
  const queue = await createQueuePair(bench.sqs);
  const counter = countingConsumer();
  const running = await bench.run(counter.consumer, queue);
  const event = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });

  await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(() => running.count("processed") === 1, "the first delivery");
  advanceClock(8 * DAY_MS);
  await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(() => running.count("processed") === 2, "the expired event to run again");

  expect(counter.times(event.id)).toBe(2);
});

test("Slack retries 1, 2 and 3 of an accepted event have one effect", async () => {
  const queue = await createQueuePair(bench.sqs);
  const counter = countingConsumer();
  const running = await bench.run(counter.consumer, queue);
  const mention = {
    type: "app_mention",
    user: "U0001",
    text: "<@U0BOT> hi",
    ts: "1.2",
    channel: "C0001",
    event_ts: "1.2",
  };

  await sendEvent(bench.sqs, queue.queueUrl, slackEventsApiEvent({ event: mention, eventId: "Ev0RETRY" }));
  await waitFor(() => running.outcomes.length === 1, "the first attempt");
  for (const retryNum of [1, 2, 3]) {
    const retry = slackEventsApiEvent({
      event: mention,
      eventId: "Ev0RETRY",
      retryNum,
      retryReason: "http_timeout",
    });
    await sendEvent(bench.sqs, queue.queueUrl, retry);
    await waitFor(() => running.outcomes.length === 1 + retryNum, `retry ${retryNum}`);
  }

  expect(counter.effects).toEqual(["slack:Ev0RETRY"]);
  expect(running.outcomes.map((outcome) => outcome.status)).toEqual([
    "processed",
    "duplicate",
    "duplicate",
    "duplicate",
  ]);
});

test("each consumer processes an event once, even sharing one process and one function name", async () => {
  process.env.AWS_LAMBDA_FUNCTION_NAME = "local-runtime";
  try {
    const archiveQueue = await createQueuePair(bench.sqs);
    const notifierQueue = await createQueuePair(bench.sqs);
    const archive = countingConsumer({ name: "archive" });
    const notifier = countingConsumer({ name: "notifier" });
    const first = await bench.run(archive.consumer, archiveQueue);
    const second = await bench.run(notifier.consumer, notifierQueue);
    const event = githubEvent({ name: "release", payload: githubExample("release", "published") });

    for (const queue of [archiveQueue, notifierQueue, archiveQueue, notifierQueue]) {
      await sendEvent(bench.sqs, queue.queueUrl, event);
    }
    await waitFor(() => first.outcomes.length + second.outcomes.length >= 4, "four deliveries handled");
    await waitFor(
      async () => (await empty(archiveQueue.queueUrl)) && (await empty(notifierQueue.queueUrl)),
      "queues empty",
    );

    expect(archive.times(event.id)).toBe(1);
    expect(notifier.times(event.id)).toBe(1);
    const states = await Promise.all(
      ["archive", "notifier", "github"].map((name) =>
        processingState(bench.ddb, bench.idempotencyTable, name, event.id),
      ),
    );
    expect(states.map((state) => state.status)).toEqual(["COMPLETED", "COMPLETED", "ABSENT"]);
  } finally {
    delete process.env.AWS_LAMBDA_FUNCTION_NAME;
  }
});

test("case 40: a DLQ redrive after a fix skips events already done and runs the rest once", async () => {
  const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 2 });
  let broken = true;
  const counter = countingConsumer({ fail: () => broken });
  const running = await bench.run(counter.consumer, queue);
  const stuck = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });
  const redelivered = githubEvent({ name: "push", payload: githubExample("push") });

  await sendEvent(bench.sqs, queue.queueUrl, stuck);
  await sendEvent(bench.sqs, queue.queueUrl, redelivered);
  await waitFor(
    async () => (await queueDepth(bench.sqs, queue.dlqUrl)).visible === 2,
    "both events dead-lettered",
    {
      timeoutMs: 20_000,
    },
  );
  broken = false;
  // Meanwhile someone redelivers one of them from GitHub: it runs through the main queue.
  await sendEvent(bench.sqs, queue.queueUrl, redelivered);
  await waitFor(() => counter.times(redelivered.id) === 1, "the redelivery to run");

  expect(await redrive(bench.sqs, queue.dlqUrl, queue.queueUrl)).toBe(2);
  await waitFor(() => counter.times(stuck.id) === 1, "the stuck event to run");
  await waitFor(() => empty(queue.queueUrl), "the redriven messages deleted");
  await quietPeriod(1500);

  expect(counter.effects.sort()).toEqual([redelivered.id, stuck.id].sort());
  const redrivenOutcomes = running.outcomes.slice(-2).map((outcome) => [outcome.eventId, outcome.status]);
  expect(redrivenOutcomes).toEqual(
    expect.arrayContaining([
      [stuck.id, "processed"],
      [redelivered.id, "duplicate"],
    ]),
  );
});
