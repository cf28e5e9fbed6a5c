/**
 * GitHub listeners on `@octokit/webhooks`, fed from a real queue: exactly which listener ran,
 * how many times, with what; a listener error fails its record only.
 */
import { Webhooks } from "@octokit/webhooks";
import { registerGitHubListeners } from "../../../listeners/github";
import type { ConsumerLambdaConfig } from "../../../src/consumers/config";
import { createGitHubConsumer } from "../../../src/consumers/github";
import { shippedGitHubConsumer } from "../../../src/consumers/shipped/github";
import type { RecordOutcome } from "../../../src/consumers/types";
import { githubEvent, githubExample, slackEventsApiEvent } from "../../helpers/factories";
import { createQueuePair, messageBody, queueDepth, receiveAll, sendEvent } from "../../helpers/sqs-queues";
import { quietPeriod, waitFor } from "../../helpers/sqs-wait";
import { type Bench, quietObservability, startBench } from "./support/harness";

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

test("each listener runs once per delivery, for its own event and action only", async () => {
  const queue = await createQueuePair(bench.sqs);
  const calls: string[] = [];
  const received: { id: string; name: string; payload: unknown }[] = [];
  const webhooks = new Webhooks({ secret: "unused" });
  webhooks.on("pull_request.opened", (event) => {
    calls.push("pull_request.opened");
    received.push(event);
  });
  webhooks.on("pull_request", () => {
    calls.push("pull_request");
  });
  webhooks.on("issues.opened", () => {
    calls.push("issues.opened");
  });
  webhooks.on("push", () => {
    calls.push("push");
  });
  const payload = githubExample("pull_request", "opened");
  const pr = githubEvent({ name: "pull_request", payload, delivery: "aa11d8a0-cc78-11e3-81ab-4c9367dc0958" });
  const issue = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });
  const running = await bench.run(createGitHubConsumer(webhooks), queue);

  for (const event of [pr, issue, pr]) await sendEvent(bench.sqs, queue.queueUrl, event);
  await sendEvent(
    bench.sqs,
    queue.queueUrl,
    slackEventsApiEvent({ event: { type: "app_mention", channel: "C1" } }),
  );
  await waitFor(
    () => running.outcomes.filter((outcome) => outcome.status !== "failed").length === 4,
    "all handled",
  );
  await quietPeriod(1200);

  expect(calls.sort()).toEqual(["issues.opened", "pull_request", "pull_request.opened"]);
  expect(received).toEqual([{ id: "aa11d8a0-cc78-11e3-81ab-4c9367dc0958", name: "pull_request", payload }]);
  expect(running.count("filtered")).toBe(1);
});

test("a listener error fails its record only; the record ends in the DLQ intact", async () => {
  const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 2 });
  const pushes: string[] = [];
  const issues: string[] = [];
  const webhooks = new Webhooks({ secret: "unused" });
  webhooks.on("push", ({ id }) => {
    pushes.push(id);
    throw new Error("listener bug");
  });
  webhooks.on("issues.opened", ({ id }) => {
    issues.push(id);
  });
  const push = githubEvent({ name: "push", payload: githubExample("push"), delivery: "bb22" });
  const issue = githubEvent({ name: "issues", payload: githubExample("issues", "opened"), delivery: "cc33" });
  const running = await bench.run(createGitHubConsumer(webhooks), queue, {
    mapping: { batchingWindowMs: 300 },
  });

  await sendEvent(bench.sqs, queue.queueUrl, push);
  await sendEvent(bench.sqs, queue.queueUrl, issue);
  await waitFor(async () => (await queueDepth(bench.sqs, queue.dlqUrl)).visible === 1, "the push in the DLQ");

  expect(running.batches[0]?.size).toBe(2);
  expect(running.batches[0]?.outcome).toBe("partial");
  expect(issues).toEqual(["cc33"]);
  expect(pushes).toEqual(["bb22", "bb22"]);
  const [dead] = await receiveAll(bench.sqs, queue.dlqUrl);
  expect(dead?.Body).toBe(messageBody(push));
});

test("the shipped consumer runs listeners/github.ts", async () => {
  const queue = await createQueuePair(bench.sqs);
  const logged: [string, Record<string, unknown>][] = [];
  const outcomes: RecordOutcome[] = [];
  const config: ConsumerLambdaConfig = {
    idempotencyTable: bench.idempotencyTable,
    idempotencyTtlSeconds: 604_800,
    fifo: false,
  };
  const consumer = shippedGitHubConsumer(
    { config, ddb: bench.ddb, ...quietObservability(), onOutcome: (outcome) => outcomes.push(outcome) },
    (webhooks) =>
      registerGitHubListeners(webhooks, {
        info: (message, attributes) => logged.push([message, attributes ?? {}]),
      }),
  );
  await bench.runHandler(consumer.createHandler(), queue, { functionName: "github" });

  await sendEvent(
    bench.sqs,
    queue.queueUrl,
    githubEvent({ name: "pull_request", payload: githubExample("pull_request", "opened"), delivery: "dd44" }),
  );
  await sendEvent(
    bench.sqs,
    queue.queueUrl,
    githubEvent({ name: "issues", payload: githubExample("issues", "edited") }),
  );
  await waitFor(() => outcomes.length === 2, "both events");

  expect(logged).toEqual([
    [
      "Pull request opened",
      {
        delivery: "dd44",
        repository: "Codertocat/Hello-World",
        number: 2,
      },
    ],
  ]);
  // No listener handles issues.edited: the shipped consumer's filter (its listeners' events) acknowledges it unrun.
  expect(outcomes.map((outcome) => outcome.status)).toEqual(["processed", "filtered"]);
});
