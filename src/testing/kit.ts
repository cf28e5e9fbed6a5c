import { describeFailure, type FailureDetails } from "../consumers/errors";
import type { OutcomeStatus, RecordOutcome } from "../consumers/types";
import { ENV } from "../contract/environment";
import type { GatewayEvent } from "../contract/event";
import type { Fixture } from "../fixtures/fixture";
import { loadFixture } from "../fixtures/load";
import { signFixture } from "../fixtures/sign";
import { localObservability } from "../local/observability";
import { type GithubApiFake, type RecordedRequest, startGithubApiFake } from "./github-api-fake";
import { invoke, type KitConsumer, type KitListeners, kitConsumers, recordOf } from "./kit-consumers";
import {
  consumerOfQueue,
  createMemoryEdge,
  type EdgeAnswer,
  KIT_SECRETS,
  type MemoryEdge,
} from "./memory-edge";
import { MemoryIdempotencyStore } from "./memory-idempotency";
import {
  type ResponseUrlCall,
  type SlackApiCall,
  type SlackApiFake,
  startSlackApiFake,
} from "./slack-api-fake";
import { redirectResponseUrls } from "./slack-urls";

export interface TestKitOptions extends KitListeners {
  /** Consumer environment over the kit's own (fake API URLs, test tokens, in-memory idempotency). */
  env?: Record<string, string>;
  /** Powertools log level of the edge, the consumers and your listeners' logger (default SILENT). */
  logLevel?: string;
  /** The clock the edge verifies Slack timestamps with and the kit signs with (default `Date.now`). */
  now?: () => number;
}

/** How one consumer ended with the delivered event. */
export interface ConsumerResult {
  consumer: string;
  /** `processed`, `duplicate` (already processed: idempotency), `failed`, or `filtered`. */
  status: OutcomeStatus;
  /** What the consumer threw (your listener's own error), when it failed. */
  error?: unknown;
  /** The error's type, message, stack and the `file:line:column` of your code that threw. */
  failure?: FailureDetails;
}

/** What happened to one delivery, end to end. */
export interface Delivery extends EdgeAnswer {
  /** The CloudEvent the edge queued (absent for pings, handshakes and refusals). */
  event?: GatewayEvent;
  /** One entry per consumer the edge routed the event to, in the order they ran. */
  consumers: ConsumerResult[];
  /** The consumers that failed (empty when all went well). */
  failures: ConsumerResult[];
  /** GitHub REST API calls made while this delivery ran. */
  github: RecordedRequest[];
  /** Slack Web API calls made while this delivery ran (`auth.test` aside). */
  slack: SlackApiCall[];
  /** Posts to `response_url`s (`respond()`) made while this delivery ran. */
  slackResponses: ResponseUrlCall[];
}

export interface DeliverOptions {
  /** The SQS receive count the consumers see (default 1): a retry is attempt 2 or more. */
  attempt?: number;
}

/** A running kit: reuse it across tests (idempotency persists until `reset()`). */
export interface TestKit {
  /** Signs a fixture (object or file path), sends it through the edge, runs the consumers. */
  deliver(fixture: Fixture | string, options?: DeliverOptions): Promise<Delivery>;
  /** The GitHub REST API fake (`apiUrl`, `requests`, `respond(…)`). */
  github: GithubApiFake;
  /** The Slack Web API fake (`apiUrl`, `calls`, `failNext(…)`). */
  slack: SlackApiFake;
  /** The environment the consumers were configured from (`GITHUB_API_URL`, `SLACK_API_URL`, …). */
  env: Readonly<Record<string, string>>;
  /** Forgets processed events and recorded calls. */
  reset(): void;
  stop(): Promise<void>;
}

/**
 * Starts a test kit: the GitHub and Slack API fakes, the real edge with an in-memory queue, and
 * your listeners on the shipped consumers (the same code path as in Lambda), with idempotency in
 * memory. Deliveries take milliseconds; nothing else is started.
 *
 * @example
 * const kit = await createTestKit({ github: registerGitHubListeners, slack: registerSlackListeners });
 * const delivery = await kit.deliver("fixtures/slack/event_callback.app_mention.json");
 * delivery.slack[0]?.method // "chat.postMessage"
 * await kit.stop();
 */
export async function createTestKit(options: TestKitOptions = {}): Promise<TestKit> {
  const [github, slack] = await Promise.all([startGithubApiFake(), startSlackApiFake()]);
  const env = kitEnv(github, slack, options.env);
  const { logger, metrics } = localObservability(options.logLevel ?? "SILENT");
  const idempotencyStore = new MemoryIdempotencyStore();
  const outcomes = new Map<string, RecordOutcome>();
  const consumers = kitConsumers(options, {
    env,
    logger,
    metrics,
    idempotencyStore,
    onOutcome: (outcome) => outcomes.set(outcome.messageId, outcome),
  });
  const edge = createMemoryEdge(consumers, { logger, metrics, now: options.now });
  const parts = { github, slack, edge, consumers, outcomes, now: options.now ?? Date.now };
  return {
    deliver: (fixture, deliverOptions = {}) => deliverOne(parts, fixture, deliverOptions),
    github,
    slack,
    env,
    reset: () => {
      idempotencyStore.clear();
      github.requests.length = 0;
      slack.calls.length = 0;
      slack.authTests.length = 0;
      slack.responses.length = 0;
    },
    stop: async () => {
      await Promise.all([github.stop(), slack.stop()]);
    },
  };
}

/**
 * One delivery with a kit of its own, stopped afterwards: for a test that needs nothing else.
 *
 * @example
 * const delivery = await deliver("fixtures/github/pull_request.opened.json", { github: registerGitHubListeners });
 * expect(delivery.status).toBe(202);
 * expect(delivery.consumers).toEqual([{ consumer: "github", status: "processed" }]);
 */
export async function deliver(fixture: Fixture | string, options: TestKitOptions = {}): Promise<Delivery> {
  const kit = await createTestKit(options);
  try {
    return await kit.deliver(fixture);
  } finally {
    await kit.stop();
  }
}

function kitEnv(github: GithubApiFake, slack: SlackApiFake, extra: Record<string, string> = {}) {
  return {
    [ENV.idempotencyTable]: "test-kit-in-memory",
    [ENV.slackBotToken]: "xoxb-test-kit-token",
    [ENV.slackApiUrl]: slack.apiUrl,
    [ENV.githubApiUrl]: github.apiUrl,
    [ENV.githubToken]: "ghp_test_kit_token",
    ...extra,
  };
}

interface KitParts {
  github: GithubApiFake;
  slack: SlackApiFake;
  edge: MemoryEdge;
  consumers: KitConsumer[];
  outcomes: Map<string, RecordOutcome>;
  now: () => number;
}

async function deliverOne(
  parts: KitParts,
  input: Fixture | string,
  options: DeliverOptions,
): Promise<Delivery> {
  const marks = {
    github: parts.github.requests.length,
    slack: parts.slack.calls.length,
    responses: parts.slack.responses.length,
  };
  const fixture = redirectResponseUrls(
    typeof input === "string" ? loadFixture(input) : input,
    parts.slack.responseUrl,
  );
  const { answer, messages } = await parts.edge.send(signFixture(fixture, KIT_SECRETS, parts.now()));
  const consumers: ConsumerResult[] = [];
  for (const message of messages) {
    const name = consumerOfQueue(message.queueUrl);
    const consumer = parts.consumers.find((c) => c.name === name);
    if (!consumer) continue;
    const record = recordOf(message, name, options.attempt ?? 1);
    await invoke(consumer, record);
    consumers.push(resultOf(name, parts.outcomes.get(record.messageId)));
    parts.outcomes.delete(record.messageId);
  }
  return {
    ...answer,
    event: messages[0] ? (JSON.parse(messages[0].body) as GatewayEvent) : undefined,
    consumers,
    failures: consumers.filter((c) => c.status === "failed"),
    github: parts.github.requests.slice(marks.github),
    slack: parts.slack.calls.slice(marks.slack),
    slackResponses: parts.slack.responses.slice(marks.responses),
  };
}

function resultOf(consumer: string, outcome: RecordOutcome | undefined): ConsumerResult {
  if (!outcome) return { consumer, status: "failed", error: new Error("the consumer reported no outcome") };
  if (outcome.status !== "failed") return { consumer, status: outcome.status };
  return { consumer, status: "failed", error: outcome.error, failure: describeFailure(outcome.error) };
}
