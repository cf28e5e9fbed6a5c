import type { SQSClient } from "@aws-sdk/client-sqs";
import { registerGitHubListeners } from "../../listeners/github";
import { registerSlackListeners } from "../../listeners/slack";
import type { ConsumerDeployment } from "../config/gateway-config";
import { type ShippedConsumersOptions, shippedConsumers } from "../consumers/registry";
import type { ShippedDeps } from "../consumers/shipped/deps";
import type { SqsConsumerHandler } from "../consumers/types";
import { ENV } from "../contract/environment";
import { type EventSourceMapping, startEventSourceMapping } from "./lambda/event-source-mapping";
import type { LocalQueue } from "./resources";

type Env = Readonly<Record<string, string | undefined>>;

/** The user's listeners the local runtime runs, as the Lambda entry points do. */
export const PROJECT_LISTENERS: ShippedConsumersOptions["listeners"] = {
  github: registerGitHubListeners,
  slack: registerSlackListeners,
};

export interface LocalConsumerHandlers {
  /** The consumers that can run, by name. */
  handlers: Map<string, SqsConsumerHandler>;
  /** Why each other consumer does not run (missing configuration). */
  missing: Map<string, string[]>;
}

export interface LocalConsumerSettings {
  idempotencyTable: string;
  archiveTable: string;
  claimCheckBucket: string;
  idempotencyTtlSeconds: number;
  listeners?: ShippedConsumersOptions["listeners"];
}

/**
 * One handler per local queue whose consumer is shipped and fully configured (the Slack bot
 * token and channel come from the environment or `.env`); the others are listed with what they lack.
 *
 * @example
 * const { handlers, missing } = localConsumerHandlers(queues, env, { ddb, s3, sqs, logger, metrics, onOutcome }, settings);
 */
export function localConsumerHandlers(
  queues: readonly LocalQueue[],
  env: Env,
  deps: Omit<ShippedDeps, "config">,
  settings: LocalConsumerSettings,
): LocalConsumerHandlers {
  const result: LocalConsumerHandlers = { handlers: new Map(), missing: new Map() };
  for (const queue of queues) {
    const name = queue.consumer.name;
    const shipped = shippedConsumers({
      ...deps,
      // A copy meeting another poller's in-progress record comes back within seconds, through this queue.
      queueUrl: queue.url,
      listeners: settings.listeners ?? PROJECT_LISTENERS,
      config: consumerConfig(queue.consumer, env, settings),
    }).find((c) => c.name === name);
    if (!shipped) result.missing.set(name, ["no local handler (only the shipped consumers run locally)"]);
    else if (shipped.missing.length > 0) result.missing.set(name, shipped.missing);
    else result.handlers.set(name, shipped.createHandler());
  }
  return result;
}

/**
 * The consumers that cannot run here, with what each lacks (the Slack bot token, say), read from
 * the configuration alone: the runtime creates no queue for them, so the edge routes nothing to them.
 *
 * @example
 * offConsumers(config.consumers, {}, { ddb }, settings) // Map { "slack" => ["SLACK_BOT_TOKEN"], "notifier" => […] }
 */
export function offConsumers(
  consumers: readonly ConsumerDeployment[],
  env: Env,
  deps: Omit<ShippedDeps, "config">,
  settings: LocalConsumerSettings,
): Map<string, string[]> {
  const off = new Map<string, string[]>();
  for (const consumer of consumers) {
    const shipped = shippedConsumers({
      ...deps,
      listeners: settings.listeners ?? PROJECT_LISTENERS,
      config: consumerConfig(consumer, env, settings),
    }).find((c) => c.name === consumer.name);
    if (!shipped) off.set(consumer.name, ["no local handler (only the shipped consumers run locally)"]);
    else if (shipped.missing.length > 0) off.set(consumer.name, shipped.missing);
  }
  return off;
}

function consumerConfig(consumer: ConsumerDeployment, env: Env, settings: LocalConsumerSettings) {
  return {
    idempotencyTable: settings.idempotencyTable,
    idempotencyTtlSeconds: settings.idempotencyTtlSeconds,
    archiveTable: settings.archiveTable,
    claimCheckBucket: settings.claimCheckBucket,
    slackBotToken: env[ENV.slackBotToken],
    slackApiUrl: env[ENV.slackApiUrl],
    notifyChannel: env[ENV.notifySlackChannel] ?? consumer.environment[ENV.notifySlackChannel],
    // The GitHub listeners' octokit: an App, or a token (src/consumers/github-auth.ts).
    githubAppId: env[ENV.githubAppId],
    githubAppPrivateKey: env[ENV.githubAppPrivateKey],
    githubToken: env[ENV.githubToken],
    githubApiUrl: env[ENV.githubApiUrl],
    fifo: consumer.fifo,
  };
}

/**
 * The consumers with their batching window replaced (`LOCAL_BATCHING_WINDOW_SECONDS`), FIFO ones
 * aside (they have none); unchanged when no window is given. The stack's default window (1 s)
 * saves invocations in AWS; locally, 0 has every event processed the moment it is queued.
 *
 * @example
 * withBatchingWindow(consumers, 0).map((c) => c.batchingWindowSeconds) // [0, 0, 0, 0]
 */
export function withBatchingWindow(
  consumers: readonly ConsumerDeployment[],
  seconds: number | undefined,
): ConsumerDeployment[] {
  if (seconds === undefined) return [...consumers];
  return consumers.map((c) => (c.fifo ? c : { ...c, batchingWindowSeconds: seconds }));
}

/**
 * Lambda starts an SQS event source mapping with five batches in flight at once, then scales
 * up to `maximum_concurrency`; the local runtime stays at the first step.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
 */
export const INITIAL_POLLERS = 5;

/** Which of the runtime's consumer threads this is, of how many: they share each consumer's pollers. */
export interface PollerShare {
  index: number;
  of: number;
}

/**
 * This thread's part of a consumer's pollers: Lambda's first five (fewer when the consumer's
 * `maxConcurrency` says so), dealt out over the threads; 0 leaves the consumer to the others.
 *
 * @example
 * pollerConcurrency({ maxConcurrency: 10 }, { index: 0, of: 2 }) // 3 (and 2 in the other thread)
 */
export function pollerConcurrency(
  consumer: Pick<LocalQueue["consumer"], "maxConcurrency">,
  share: PollerShare = { index: 0, of: 1 },
): number {
  // A FIFO queue hands out one group's messages to one batch at a time anyway.
  const total = Math.min(INITIAL_POLLERS, consumer.maxConcurrency);
  return Math.floor(total / share.of) + (share.index < total % share.of ? 1 : 0);
}

/**
 * One event source mapping per runnable consumer, configured as the stack configures it, with
 * this thread's share of its pollers.
 *
 * @example
 * const mappings = await startPollers(sqs, queues, handlers, log);
 * await Promise.all(mappings.map((m) => m.stop()));
 */
export async function startPollers(
  sqs: SQSClient,
  queues: readonly LocalQueue[],
  handlers: ReadonlyMap<string, SqsConsumerHandler>,
  log: (line: string) => void,
  share?: PollerShare,
): Promise<EventSourceMapping[]> {
  const mappings: EventSourceMapping[] = [];
  for (const queue of queues) {
    const { consumer } = queue;
    const handler = handlers.get(consumer.name);
    const concurrency = pollerConcurrency(consumer, share);
    if (!handler || concurrency === 0) continue;
    mappings.push(
      await startEventSourceMapping({
        sqs,
        queueUrl: queue.url,
        handler,
        functionName: `local-${consumer.name}`,
        functionTimeoutMs: consumer.timeoutSeconds * 1000,
        batchSize: consumer.batchSize,
        batchingWindowMs: consumer.fifo ? 0 : consumer.batchingWindowSeconds * 1000,
        concurrency,
        onError: (error) => log(`  ! ${consumer.name} poller: ${(error as Error).message}`),
      }),
    );
  }
  return mappings;
}
