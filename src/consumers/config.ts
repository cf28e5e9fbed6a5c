import { ENV } from "../contract/environment";
import { ARCHIVE_RETENTION_DAYS, IDEMPOTENCY_TTL_SECONDS } from "../contract/limits";
import { readInt, readString } from "../edge/config";
import { ConfigError } from "../shared/errors";

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
  /** `ARCHIVE_RETENTION_DAYS`: days an archived event is kept (default `ARCHIVE_RETENTION_DAYS`, 30). */
  archiveRetentionDays?: number;
  claimCheckBucket?: string;
  slackBotToken?: string;
  slackBotTokenSecretId?: string;
  slackApiUrl?: string;
  notifyChannel?: string;
  /** `QUEUE_FIFO=true`: the queue is FIFO (group-ordered processing). */
  fifo: boolean;
  /** `GITHUB_APP_ID` and `GITHUB_APP_PRIVATE_KEY`: the App the GitHub listeners' `octokit` acts as. */
  githubAppId?: string;
  githubAppPrivateKey?: string;
  /** `GITHUB_APP_SECRET_ID`: the same credentials (or a token) in Secrets Manager. */
  githubAppSecretId?: string;
  /** `GITHUB_TOKEN`: the listeners' `octokit` token when no App is configured. */
  githubToken?: string;
  /** `GITHUB_API_URL`: the REST API base URL (default https://api.github.com). */
  githubApiUrl?: string;
}

/**
 * Reads the consumers' configuration. Every problem names its variable.
 *
 * @example
 * const config = loadConsumerLambdaConfig(process.env); // { idempotencyTable: "gateway-idempotency", … }
 */
export function loadConsumerLambdaConfig(env: Env): ConsumerLambdaConfig {
  const idempotencyTable = readString(env, ENV.idempotencyTable);
  if (!idempotencyTable) throw new ConfigError(ENV.idempotencyTable, "is required");
  const idempotencyTtlSeconds = readInt(env, ENV.idempotencyTtlSeconds, IDEMPOTENCY_TTL_SECONDS);
  if (idempotencyTtlSeconds < IDEMPOTENCY_TTL_SECONDS) {
    throw new ConfigError(ENV.idempotencyTtlSeconds, `must be at least ${IDEMPOTENCY_TTL_SECONDS} (7 days)`);
  }
  const slackBotToken = readString(env, ENV.slackBotToken);
  const slackBotTokenSecretId = readString(env, ENV.slackBotTokenSecretId);
  if (slackBotToken && slackBotTokenSecretId) {
    throw new ConfigError(
      ENV.slackBotToken,
      `set either ${ENV.slackBotToken} or ${ENV.slackBotTokenSecretId}, not both`,
    );
  }
  const fifo = readString(env, ENV.queueFifo);
  if (fifo !== undefined && fifo !== "true" && fifo !== "false") {
    throw new ConfigError(ENV.queueFifo, 'must be "true" or "false"');
  }
  return {
    consumerName: readString(env, ENV.consumerName),
    idempotencyTable,
    idempotencyTtlSeconds,
    archiveTable: readString(env, ENV.archiveTable),
    archiveRetentionDays: readInt(env, ENV.archiveRetentionDays, ARCHIVE_RETENTION_DAYS),
    claimCheckBucket: readString(env, ENV.claimCheckBucket),
    slackBotToken,
    slackBotTokenSecretId,
    slackApiUrl: readString(env, ENV.slackApiUrl),
    notifyChannel: readString(env, ENV.notifySlackChannel),
    fifo: fifo === "true",
    ...readGitHubAuth(env),
  };
}

type GitHubAuthFields = Pick<
  ConsumerLambdaConfig,
  "githubAppId" | "githubAppPrivateKey" | "githubAppSecretId" | "githubToken" | "githubApiUrl"
>;

/** The GitHub listeners' credentials: an App's id and key come together, inline or in one secret. */
function readGitHubAuth(env: Env): GitHubAuthFields {
  const githubAppId = readString(env, ENV.githubAppId);
  const githubAppPrivateKey = readString(env, ENV.githubAppPrivateKey);
  const githubAppSecretId = readString(env, ENV.githubAppSecretId);
  if (Boolean(githubAppId) !== Boolean(githubAppPrivateKey)) {
    const [set, unset] = githubAppId
      ? [ENV.githubAppId, ENV.githubAppPrivateKey]
      : [ENV.githubAppPrivateKey, ENV.githubAppId];
    throw new ConfigError(unset, `is required with ${set}`);
  }
  if (githubAppId && githubAppSecretId) {
    throw new ConfigError(
      ENV.githubAppId,
      `set either ${ENV.githubAppId} and ${ENV.githubAppPrivateKey}, or ${ENV.githubAppSecretId}, not both`,
    );
  }
  return {
    githubAppId,
    githubAppPrivateKey,
    githubAppSecretId,
    githubToken: readString(env, ENV.githubToken),
    githubApiUrl: readString(env, ENV.githubApiUrl),
  };
}
