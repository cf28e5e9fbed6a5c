import { loadConsumerLambdaConfig } from "../../../src/consumers/config";
import { ConfigError } from "../../../src/shared/errors";

test("reads every variable, with a 7-day idempotency default", () => {
  const config = loadConsumerLambdaConfig({
    CONSUMER_NAME: "archive-eu",
    IDEMPOTENCY_TABLE: "idempotency",
    ARCHIVE_TABLE: "archive",
    CLAIM_CHECK_BUCKET: "payloads",
    SLACK_BOT_TOKEN_SECRET_ID: "gateway/slack-bot",
    SLACK_API_URL: "http://127.0.0.1:4000/api/",
    NOTIFY_SLACK_CHANNEL: "C0123",
    QUEUE_FIFO: "true",
    GITHUB_APP_ID: "4242",
    GITHUB_APP_PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\\nMIIE…",
    GITHUB_TOKEN: "ghp_x",
    GITHUB_API_URL: "http://127.0.0.1:4001",
  });

  expect(config).toEqual({
    consumerName: "archive-eu",
    idempotencyTable: "idempotency",
    idempotencyTtlSeconds: 604_800,
    archiveTable: "archive",
    archiveRetentionDays: 30,
    claimCheckBucket: "payloads",
    slackBotToken: undefined,
    slackBotTokenSecretId: "gateway/slack-bot",
    slackApiUrl: "http://127.0.0.1:4000/api/",
    notifyChannel: "C0123",
    fifo: true,
    githubAppId: "4242",
    githubAppPrivateKey: "-----BEGIN RSA PRIVATE KEY-----\\nMIIE…",
    githubAppSecretId: undefined,
    githubToken: "ghp_x",
    githubApiUrl: "http://127.0.0.1:4001",
  });
});

test("reads the archive's retention in days", () => {
  const config = loadConsumerLambdaConfig({ IDEMPOTENCY_TABLE: "idempotency", ARCHIVE_RETENTION_DAYS: "90" });

  expect(config.archiveRetentionDays).toBe(90);
  expect(() => loadConsumerLambdaConfig({ IDEMPOTENCY_TABLE: "i", ARCHIVE_RETENTION_DAYS: "0" })).toThrow(
    ConfigError,
  );
});

test.each([
  [{}, "IDEMPOTENCY_TABLE"],
  [{ IDEMPOTENCY_TABLE: "t", IDEMPOTENCY_TTL_SECONDS: "3600" }, "IDEMPOTENCY_TTL_SECONDS"],
  [{ IDEMPOTENCY_TABLE: "t", IDEMPOTENCY_TTL_SECONDS: "7d" }, "IDEMPOTENCY_TTL_SECONDS"],
  [{ IDEMPOTENCY_TABLE: "t", SLACK_BOT_TOKEN: "x", SLACK_BOT_TOKEN_SECRET_ID: "y" }, "SLACK_BOT_TOKEN"],
  [{ IDEMPOTENCY_TABLE: "t", QUEUE_FIFO: "yes" }, "QUEUE_FIFO"],
  [{ IDEMPOTENCY_TABLE: "t", GITHUB_APP_ID: "1" }, "GITHUB_APP_PRIVATE_KEY"],
  [{ IDEMPOTENCY_TABLE: "t", GITHUB_APP_PRIVATE_KEY: "pem" }, "GITHUB_APP_ID"],
  [
    { IDEMPOTENCY_TABLE: "t", GITHUB_APP_ID: "1", GITHUB_APP_PRIVATE_KEY: "pem", GITHUB_APP_SECRET_ID: "s" },
    "GITHUB_APP_ID",
  ],
])("a bad configuration names its variable (%j)", (env, variable) => {
  expect(() => loadConsumerLambdaConfig(env)).toThrow(ConfigError);
  expect(() => loadConsumerLambdaConfig(env)).toThrow(expect.objectContaining({ variable }));
});
