/**
 * The GitHub-to-Slack notifier, shipped wiring, from a real queue to a fake Slack Web API:
 * exactly which events are posted, with which arguments, and only once.
 */
import type { ConsumerLambdaConfig } from "../../../src/consumers/config";
import { shippedNotifierConsumer } from "../../../src/consumers/shipped/notifier";
import type { RecordOutcome } from "../../../src/consumers/types";
import { githubEvent, githubExample } from "../../helpers/factories";
import { type SlackApiFake, startSlackApiFake } from "../../helpers/slack-api-fake";
import { createQueuePair, queueDepth, sendEvent } from "../../helpers/sqs-queues";
import { quietPeriod, waitFor } from "../../helpers/sqs-wait";
import { type Bench, quietObservability, startBench } from "./support/harness";

let bench: Bench;
let slack: SlackApiFake;

beforeAll(async () => {
  bench = await startBench();
  slack = await startSlackApiFake();
});

afterAll(async () => {
  await bench.stop();
  await slack.stop();
});

const PR = "https://github.com/Codertocat/Hello-World/pull/2";
const TITLE = "Update the README with new information.";

test("posts pull requests opened or merged, issues opened, releases and failed runs, once each", async () => {
  const queue = await createQueuePair(bench.sqs);
  const outcomes: RecordOutcome[] = [];
  const config: ConsumerLambdaConfig = {
    idempotencyTable: bench.idempotencyTable,
    idempotencyTtlSeconds: 604_800,
    slackBotToken: "xoxb-notifier",
    slackApiUrl: slack.apiUrl,
    notifyChannel: "C0NOTIFY",
    fifo: false,
  };
  const consumer = shippedNotifierConsumer({
    config,
    ddb: bench.ddb,
    s3: bench.s3,
    ...quietObservability(),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  await bench.runHandler(consumer.createHandler(), queue, { functionName: "notifier" });

  const opened = githubEvent({ name: "pull_request", payload: githubExample("pull_request", "opened") });
  const events = [
    opened,
    githubEvent({
      name: "pull_request",
      payload: githubExample("pull_request", "closed", (p) =>
        Object.assign(p.pull_request as object, { merged: true, merged_by: { login: "octocat" } }),
      ),
    }),
    githubEvent({ name: "pull_request", payload: githubExample("pull_request", "closed") }),
    githubEvent({ name: "issues", payload: githubExample("issues", "opened") }),
    githubEvent({ name: "release", payload: githubExample("release", "published") }),
    githubEvent({
      name: "workflow_run",
      payload: githubExample("workflow_run", "completed", (p) =>
        Object.assign(p.workflow_run as object, { conclusion: "failure" }),
      ),
    }),
    githubEvent({
      name: "workflow_run",
      payload: githubExample("workflow_run", "completed", (p) =>
        Object.assign(p.workflow_run as object, { conclusion: "success" }),
      ),
    }),
    githubEvent({ name: "push", payload: githubExample("push") }),
    opened,
  ];
  for (const event of events) await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(
    () => outcomes.filter((outcome) => outcome.status !== "failed").length === events.length,
    "every event handled",
  );
  await waitFor(
    async () => (await queueDepth(bench.sqs, queue.queueUrl)).inFlight === 0,
    "every message deleted",
  );
  await quietPeriod(1200);

  const posts = slack.calls.filter((call) => call.method === "chat.postMessage");
  expect(posts.map((call) => call.args.text).sort()).toEqual(
    [
      `Pull request #2 opened in Codertocat/Hello-World by @Codertocat: ${TITLE} <${PR}>`,
      `Pull request #2 merged in Codertocat/Hello-World by @octocat: ${TITLE} <${PR}>`,
      "Issue #1 opened in Codertocat/Hello-World by @Codertocat: Spelling error in the README file <https://github.com/Codertocat/Hello-World/issues/1>",
      "Release 0.0.1 published in Codertocat/Hello-World by @Codertocat <https://github.com/Codertocat/Hello-World/releases/tag/0.0.1>",
      "Workflow Manually triggered workflow failed on main in Codertocat/Hello-World <https://github.com/octo-org/octo-repo/actions/runs/1589141559>",
    ].sort(),
  );
  expect(slack.calls.filter((call) => call.method !== "chat.postMessage")).toEqual([]);
  const openedPost = posts.find(
    (call) => String(call.args.text).includes("opened in") && String(call.args.text).startsWith("Pull"),
  );
  expect(openedPost).toEqual({
    method: "chat.postMessage",
    token: "xoxb-notifier",
    args: {
      channel: "C0NOTIFY",
      text: `Pull request #2 opened in Codertocat/Hello-World by @Codertocat: ${TITLE} <${PR}>`,
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: `*Pull request #2 opened* in Codertocat/Hello-World by @Codertocat\n<${PR}|${TITLE}>`,
          },
        },
      ],
    },
  });
  // The push is outside the filter; the duplicate of `opened` is skipped by idempotency.
  expect(outcomes.filter((outcome) => outcome.status === "filtered").map((outcome) => outcome.type)).toEqual([
    "com.github.push",
  ]);
  expect(
    outcomes
      .filter((outcome) => outcome.eventId === opened.id && outcome.status !== "failed")
      .map((o) => o.status)
      .sort(),
  ).toEqual(["duplicate", "processed"]);
});
