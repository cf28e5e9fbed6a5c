/**
 * Slack listeners (`listeners/slack.ts` and ad-hoc ones) on Bolt, fed from a real queue, calling a
 * local fake of Slack's Web API and response URLs: the exact calls, once per event.
 */
import type { App } from "@slack/bolt";
import { registerSlackListeners } from "../../../listeners/slack";
import type { ConsumerLambdaConfig } from "../../../src/consumers/config";
import { shippedSlackConsumer } from "../../../src/consumers/shipped/slack";
import type { RecordOutcome } from "../../../src/consumers/types";
import { slackCommandEvent, slackEventsApiEvent, slackInteractionEvent } from "../../helpers/factories";
import { FAKE_BOT, type SlackApiFake, startSlackApiFake } from "../../helpers/slack-api-fake";
import { createQueuePair, messageBody, queueDepth, receiveAll, sendEvent } from "../../helpers/sqs-queues";
import { quietPeriod, waitFor } from "../../helpers/sqs-wait";
import { type Bench, quietObservability, startBench } from "./support/harness";

let bench: Bench;
let slack: SlackApiFake;

beforeAll(async () => {
  bench = await startBench();
});

beforeEach(async () => {
  slack = await startSlackApiFake();
});

afterEach(async () => {
  await bench.stopConsumers();
  await slack.stop();
});

afterAll(async () => {
  await bench.stop();
});

const mention = {
  type: "app_mention",
  user: "U0001",
  text: "<@U0BOT> hi",
  ts: "1.2",
  channel: "C0001",
  event_ts: "1.2",
};

/** The shipped Slack consumer (`listeners/slack.ts` unless `register` is given) behind a poller. */
async function runSlack(options: { register?: (app: App) => void; maxReceiveCount?: number } = {}) {
  const queue = await createQueuePair(bench.sqs, { maxReceiveCount: options.maxReceiveCount ?? 3 });
  const outcomes: RecordOutcome[] = [];
  const config: ConsumerLambdaConfig = {
    idempotencyTable: bench.idempotencyTable,
    idempotencyTtlSeconds: 604_800,
    slackBotToken: "xoxb-test",
    slackApiUrl: slack.apiUrl,
    fifo: false,
  };
  const consumer = shippedSlackConsumer(
    {
      config,
      ddb: bench.ddb,
      s3: bench.s3,
      ...quietObservability(),
      onOutcome: (outcome) => outcomes.push(outcome),
    },
    options.register ?? registerSlackListeners,
  );
  await bench.runHandler(consumer.createHandler(), queue, { functionName: "slack" });
  return { queue, outcomes };
}

test("an app_mention retried three times by Slack is answered once with say()", async () => {
  const { queue, outcomes } = await runSlack();

  await sendEvent(bench.sqs, queue.queueUrl, slackEventsApiEvent({ event: mention, eventId: "Ev0MENTION" }));
  await waitFor(() => outcomes.length === 1, "the first attempt");
  for (const retryNum of [1, 2, 3]) {
    const retry = slackEventsApiEvent({
      event: mention,
      eventId: "Ev0MENTION",
      retryNum,
      retryReason: "http_timeout",
    });
    await sendEvent(bench.sqs, queue.queueUrl, retry);
    await waitFor(() => outcomes.length === 1 + retryNum, `retry ${retryNum}`);
  }

  expect(slack.calls).toEqual([
    {
      method: "chat.postMessage",
      token: "xoxb-test",
      args: {
        channel: "C0001",
        text: "Hi <@U0001>, I saw your mention.",
        thread_ts: "1.2",
        team_id: FAKE_BOT.teamId,
      },
    },
  ]);
  expect(slack.authTests).toHaveLength(1);
  expect(outcomes.map((outcome) => outcome.status)).toEqual([
    "processed",
    "duplicate",
    "duplicate",
    "duplicate",
  ]);
});

test("a slash command is answered through its response_url, text decoded exactly", async () => {
  const { queue, outcomes } = await runSlack();
  const text = "héllo &=+% 🎉\nsecond line";
  const command = slackCommandEvent({
    token: "verification-token",
    team_id: "T0001",
    team_domain: "fake",
    channel_id: "C0001",
    channel_name: "general",
    user_id: "U0001",
    user_name: "mona",
    command: "/echo",
    text,
    api_app_id: "A0001",
    response_url: slack.responseUrl("echo-1"),
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
  });

  await sendEvent(bench.sqs, queue.queueUrl, command);
  await sendEvent(bench.sqs, queue.queueUrl, command);
  await waitFor(
    () => outcomes.filter((outcome) => outcome.status !== "failed").length === 2,
    "both copies handled",
  );

  expect(slack.responses).toEqual([{ id: "echo-1", body: { response_type: "ephemeral", text } }]);
  expect(slack.calls).toEqual([]);
});

test("a block action runs app.action once and responds", async () => {
  const { queue, outcomes } = await runSlack();
  const interaction = slackInteractionEvent({
    type: "block_actions",
    user: { id: "U0001", username: "mona", team_id: "T0001" },
    api_app_id: "A0001",
    token: "verification-token",
    container: { type: "message", message_ts: "1.1", channel_id: "C0001", is_ephemeral: false },
    trigger_id: "1.2.3",
    team: { id: "T0001", domain: "fake" },
    channel: { id: "C0001", name: "general" },
    response_url: slack.responseUrl("approve-1"),
    actions: [{ action_id: "approve", block_id: "b1", type: "button", value: "yes", action_ts: "1.3" }],
  });

  await sendEvent(bench.sqs, queue.queueUrl, interaction);
  await waitFor(() => outcomes.length === 1, "the interaction");

  expect(outcomes[0]?.status).toBe("processed");
  expect(slack.responses).toEqual([
    { id: "approve-1", body: { replace_original: true, text: "Approved by <@U0001>" } },
  ]);
});

test("a view submission runs app.view, which posts with client", async () => {
  const { queue, outcomes } = await runSlack();
  const submission = slackInteractionEvent({
    type: "view_submission",
    team: { id: "T0001", domain: "fake" },
    user: { id: "U0001", username: "mona", team_id: "T0001" },
    api_app_id: "A0001",
    token: "verification-token",
    trigger_id: "1.2.3",
    view: {
      id: "V0001",
      team_id: "T0001",
      type: "modal",
      callback_id: "feedback",
      state: { values: { feedback: { text: { type: "plain_text_input", value: "Great gateway!" } } } },
      hash: "156772938.1827394",
      private_metadata: "",
      title: { type: "plain_text", text: "Feedback" },
      blocks: [],
    },
  });

  await sendEvent(bench.sqs, queue.queueUrl, submission);
  await waitFor(() => outcomes.length === 1, "the submission");

  expect(slack.calls).toEqual([
    {
      method: "chat.postMessage",
      token: "xoxb-test",
      args: { channel: "U0001", text: "Thanks for your feedback: Great gateway!", team_id: "T0001" },
    },
  ]);
});

test("a listener that throws fails the record, which ends in the DLQ intact", async () => {
  let runs = 0;
  const { queue, outcomes } = await runSlack({
    maxReceiveCount: 2,
    register: (app) =>
      app.event("app_mention", async () => {
        runs++;
        throw new Error("listener bug");
      }),
  });
  const event = slackEventsApiEvent({ event: mention });

  await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(
    async () => (await queueDepth(bench.sqs, queue.dlqUrl)).visible === 1,
    "the event in the DLQ",
  );

  expect(runs).toBe(2);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(["failed", "failed"]);
  const [dead] = await receiveAll(bench.sqs, queue.dlqUrl);
  expect(dead?.Body).toBe(messageBody(event));
});

test("a failed Slack API call fails the record; the retry posts exactly once", async () => {
  const { queue, outcomes } = await runSlack();
  slack.failNext("chat.postMessage", { error: "internal_error" });

  await sendEvent(bench.sqs, queue.queueUrl, slackEventsApiEvent({ event: mention }));
  await waitFor(() => outcomes.some((outcome) => outcome.status === "processed"), "the retry to succeed");
  await quietPeriod(1500);

  expect(outcomes.map((outcome) => outcome.status)).toEqual(["failed", "processed"]);
  expect(slack.calls.map((call) => call.method)).toEqual(["chat.postMessage", "chat.postMessage"]);
});

test("a Slack retry whose first attempt never reached the queue is processed, with its retry number", async () => {
  const seen: { retryNum?: number; retryReason?: string }[] = [];
  const { queue, outcomes } = await runSlack({
    register: (app) =>
      app.event("app_mention", async ({ context }) => {
        seen.push({ retryNum: context.retryNum, retryReason: context.retryReason });
      }),
  });

  await sendEvent(
    bench.sqs,
    queue.queueUrl,
    slackEventsApiEvent({ event: mention, retryNum: 1, retryReason: "http_error" }),
  );
  await waitFor(() => outcomes.length === 1, "the retry");

  expect(seen).toEqual([{ retryNum: 1, retryReason: "http_error" }]);
});
