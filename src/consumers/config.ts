import { readInt, readString } from "../edge/config";
import { ConfigError } from "../shared/errors";
import { DEFAULT_IDEMPOTENCY_TTL_SECONDS } from "./idempotency";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A consumer Lambda's own configuration: its environment variables, read once at cold start.
 * (The deployment entry that creates the Lambda is `ConsumerDeployment` in src/config.)
 */
export interface ConsumerLambdaConfig {
  /** `CONSUMER_NAME`: overrides the consumer's name (and so its idempotency scope). */
  consumerName?: string;
  idempotencyTable: string;
  idempotencyTtlSeconds: number;
  archiveTable?: string;
  claimCheckBucket?: string;
  slackBotToken?: string;
  slackBotTokenSecretId?: string;
  slackApiUrl?: string;
  notifyChannel?: string;
  /** `QUEUE_FIFO=true`: the queue is FIFO (group-ordered processing). */
  fifo: boolean;
}

/**
 * Reads the consumers' configuration. Every problem names its variable.
 *
 * @example
 * const config = loadConsumerLambdaConfig(process.env); // { idempotencyTable: "gateway-idempotency", … }
 */
export function loadConsumerLambdaConfig(env: Env): ConsumerLambdaConfig {
  const idempotencyTable = readString(env, "IDEMPOTENCY_TABLE");
  if (!idempotencyTable) throw new ConfigError("IDEMPOTENCY_TABLE", "is required");
  const idempotencyTtlSeconds = readInt(env, "IDEMPOTENCY_TTL_SECONDS", DEFAULT_IDEMPOTENCY_TTL_SECONDS);
  if (idempotencyTtlSeconds < DEFAULT_IDEMPOTENCY_TTL_SECONDS) {
    throw new ConfigError(
      "IDEMPOTENCY_TTL_SECONDS",
      `must be at least ${DEFAULT_IDEMPOTENCY_TTL_SECONDS} (7 days)`,
    );
  }
  const slackBotToken = readString(env, "SLACK_BOT_TOKEN");
  const slackBotTokenSecretId = readString(env, "SLACK_BOT_TOKEN_SECRET_ID");
  if (slackBotToken && slackBotTokenSecretId) {
    throw new ConfigError(
      "SLACK_BOT_TOKEN",
      "set either SLACK_BOT_TOKEN or SLACK_BOT_TOKEN_SECRET_ID, not both",
    );
  }
  const fifo = readString(env, "QUEUE_FIFO");
  if (fifo !== undefined && fifo !== "true" && fifo !== "false") {
    throw new ConfigError("QUEUE_FIFO", 'must be "true" or "false"');
  }
  return {
    consumerName: readString(env, "CONSUMER_NAME"),
    idempotencyTable,
    idempotencyTtlSeconds,
    archiveTable: readString(env, "ARCHIVE_TABLE"),
    claimCheckBucket: readString(env, "CLAIM_CHECK_BUCKET"),
    slackBotToken,
    slackBotTokenSecretId,
    slackApiUrl: readString(env, "SLACK_API_URL"),
    notifyChannel: readString(env, "NOTIFY_SLACK_CHANNEL"),
    fifo: fifo === "true",
  };
}
