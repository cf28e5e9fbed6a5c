/**
 * Names of the environment variables that cross a deployment unit: the stack (`stacks/`) and the
 * local runtime (`src/local/`) set them, the handlers and their cores read them. One name, one
 * place: a typo on either side would otherwise pass every unit test and fail in AWS.
 *
 * @example
 * readString(process.env, ENV.claimCheckBucket) // "webhook-gateway-dev-claims-…" | undefined
 */
export const ENV = {
  // The edge (handlers/ingest.ts, src/edge/config.ts).
  /** JSON array of routes (src/contract/routing.ts). */
  gatewayRoutes: "GATEWAY_ROUTES",
  /** Comma-separated GitHub webhook secrets (rotation), or the `…_ID` of a Secrets Manager secret. */
  githubWebhookSecret: "GITHUB_WEBHOOK_SECRET",
  githubWebhookSecretId: "GITHUB_WEBHOOK_SECRET_ID",
  /** Comma-separated Slack signing secrets, or the `…_ID` of a Secrets Manager secret. */
  slackSigningSecret: "SLACK_SIGNING_SECRET",
  slackSigningSecretId: "SLACK_SIGNING_SECRET_ID",
  /** The claim-check bucket: written by the edge, read by consumers. */
  claimCheckBucket: "CLAIM_CHECK_BUCKET",
  maxBodyBytes: "MAX_BODY_BYTES",
  maxJsonDepth: "MAX_JSON_DEPTH",
  githubDeadlineMs: "GITHUB_DEADLINE_MS",
  slackDeadlineMs: "SLACK_DEADLINE_MS",
  secretsTtlSeconds: "SECRETS_TTL_SECONDS",
  sqsRequestTimeoutMs: "SQS_REQUEST_TIMEOUT_MS",

  // Consumers (handlers/consumers/*.ts, src/consumers/config.ts).
  consumerName: "CONSUMER_NAME",
  /** `"true"` or `"false"`. */
  queueFifo: "QUEUE_FIFO",
  idempotencyTable: "IDEMPOTENCY_TABLE",
  idempotencyTtlSeconds: "IDEMPOTENCY_TTL_SECONDS",
  archiveTable: "ARCHIVE_TABLE",
  /** Days an archived event is kept (its `expiresat` TTL); default `ARCHIVE_RETENTION_DAYS`. */
  archiveRetentionDays: "ARCHIVE_RETENTION_DAYS",
  slackBotToken: "SLACK_BOT_TOKEN",
  slackBotTokenSecretId: "SLACK_BOT_TOKEN_SECRET_ID",
  slackApiUrl: "SLACK_API_URL",
  notifySlackChannel: "NOTIFY_SLACK_CHANNEL",
  /** The GitHub App the GitHub listeners' `octokit` (and the CLI's `--app`) authenticates as: its id… */
  githubAppId: "GITHUB_APP_ID",
  /** …and its private key (PEM; `\n`-escaped line breaks allowed). */
  githubAppPrivateKey: "GITHUB_APP_PRIVATE_KEY",
  /** Or a Secrets Manager secret holding `{"appId", "privateKey"}` (or `{"token"}`). */
  githubAppSecretId: "GITHUB_APP_SECRET_ID",

  // The scheduled redelivery (handlers/redeliver.ts, src/redelivery/scheduled.ts).
  redeliveryTable: "REDELIVERY_TABLE",
  redeliveryRepo: "REDELIVERY_REPO",
  redeliveryOrg: "REDELIVERY_ORG",
  /** `"true"`: the GitHub App's own webhook. */
  redeliveryApp: "REDELIVERY_APP",
  redeliveryHookId: "REDELIVERY_HOOK_ID",
  redeliveryLookbackMinutes: "REDELIVERY_LOOKBACK_MINUTES",
  redeliveryMaxAttempts: "REDELIVERY_MAX_ATTEMPTS",
  /** Also the GitHub listeners' `octokit` token when no App is configured. */
  githubToken: "GITHUB_TOKEN",
  githubTokenSecretId: "GITHUB_TOKEN_SECRET_ID",
  /** GitHub REST API base URL (GitHub Enterprise, or a local fake); default https://api.github.com. */
  githubApiUrl: "GITHUB_API_URL",

  // Powertools, set by the stack and the local runtime for every function.
  powertoolsServiceName: "POWERTOOLS_SERVICE_NAME",
  powertoolsMetricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
  powertoolsMetricsDisabled: "POWERTOOLS_METRICS_DISABLED",
  powertoolsTraceEnabled: "POWERTOOLS_TRACE_ENABLED",
  powertoolsLogLevel: "POWERTOOLS_LOG_LEVEL",
} as const;

/** One of the names above. */
export type EnvName = (typeof ENV)[keyof typeof ENV];
