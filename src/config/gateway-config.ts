/**
 * The typed configuration of the deployed gateway, with defaults that deploy the shipped consumers.
 * `loadGatewayConfig` (config-load.ts) layers `gateway.config.json` and `GATEWAY_*` variables on top.
 */

import { ENV } from "../contract/environment";
import {
  ARCHIVE_RETENTION_DAYS,
  CLAIM_CHECK_EXPIRATION_DAYS,
  IDEMPOTENCY_TTL_SECONDS,
} from "../contract/limits";
import { METRICS_NAMESPACE } from "../contract/metrics";
import { NOTIFIED_TYPES } from "../contract/notifier";

/** What one consumer may touch beyond its own queue, the idempotency table and the claim checks. */
export interface ConsumerAccess {
  /** `dynamodb:PutItem` on the archive table. */
  archiveTable: boolean;
  /** `secretsmanager:GetSecretValue` on the Slack bot token (and `SLACK_BOT_TOKEN_SECRET_ID`). */
  slackBotToken: boolean;
  /** `secretsmanager:GetSecretValue` on the GitHub App's credentials (and `GITHUB_APP_SECRET_ID`). */
  githubApp?: boolean;
}

/**
 * One consumer as deployed: its route, queue, function and access (an entry of `consumers` in
 * gateway.config.json). The Lambda's own environment is `ConsumerLambdaConfig` in src/consumers.
 */
export interface ConsumerDeployment {
  /** Route, queue and function suffix: letters, digits, `-` and `_` (see src/contract/routing.ts). */
  name: string;
  /** Handler entry point relative to the repository root; bundled to `dist/<basename>/index.js`. */
  entry: string;
  /** Event type patterns (`*` wildcard); empty: every type. */
  types: string[];
  /** Source patterns; empty: every source. */
  sources: string[];
  /** FIFO queue (`.fifo`), grouped by repository or channel by the edge. */
  fifo: boolean;
  timeoutSeconds: number;
  memoryMb: number;
  batchSize: number;
  /** `maximum_batching_window_in_seconds`; must be 0 for FIFO queues. */
  batchingWindowSeconds: number;
  /** Event source mapping `scaling_config.maximum_concurrency` (2–1000). */
  maxConcurrency: number;
  /** Receives before a message moves to the DLQ. */
  maxReceiveCount: number;
  /** Extra environment variables, merged over the ones the stack sets. */
  environment: Record<string, string>;
  access: ConsumerAccess;
}

export interface SecretNames {
  githubWebhook: string;
  slackSigningSecret: string;
  slackBotToken: string;
  /** The GitHub App the GitHub listeners' `octokit` acts as: `{"appId", "privateKey"}` (or `{"token"}`). */
  githubApp: string;
  /** GitHub token of the scheduled redelivery; created only when `redelivery.enabled`. */
  githubToken: string;
}

export interface EdgeConfig {
  memoryMb: number;
  timeoutSeconds: number;
  /** Reserved concurrency: a cost cap on a public endpoint; `null` leaves it unreserved. */
  reservedConcurrency: number | null;
}

export interface AlarmConfig {
  /** SNS topic for alarm and OK actions; without it the alarms only change state. */
  topicArn?: string;
  /** ApproximateAgeOfOldestMessage threshold, per queue. */
  maxMessageAgeSeconds: number;
  /** Sum of `Rejected{reason=invalid_signature}` in 5 minutes that counts as a burst. */
  signatureFailures: number;
}

/**
 * The scheduled redelivery job (handlers/redeliver.ts): asks GitHub to redeliver the failed
 * deliveries of one hook. The hook is exactly one of `repo` (owner/name) or `org`, each with
 * `hookId`, or `app: true` (the GitHub App's own webhook).
 */
export interface RedeliveryConfig {
  /** Off by default: nothing of the job is created until it is configured. */
  enabled: boolean;
  /** EventBridge schedule expression: `rate(15 minutes)` or `cron(…)`. */
  schedule: string;
  repo?: string;
  org?: string;
  hookId?: number;
  app?: boolean;
  /** `REDELIVERY_LOOKBACK_MINUTES`: each run looks at least this far back. */
  lookbackMinutes: number;
  /** `REDELIVERY_MAX_ATTEMPTS`: a delivery that failed this many times is left alone. */
  maxAttempts: number;
  timeoutSeconds: number;
  memoryMb: number;
  /**
   * Reserved concurrency, 1 by default: one run at a time (two would read the same checkpoint and
   * redeliver twice). `null` leaves it unreserved, for accounts whose concurrency quota (10 on new
   * accounts) leaves nothing to reserve; overlapping runs are then possible.
   */
  reservedConcurrency: number | null;
}

/** Optional S3 backend for the Terraform state (local state otherwise). */
export interface StateBackendConfig {
  bucket: string;
  key: string;
  region: string;
}

export interface GatewayConfig {
  /** Prefix of every resource name. */
  name: string;
  stage: string;
  region: string;
  consumers: ConsumerDeployment[];
  secretNames: SecretNames;
  /** 0 deletes secrets at once on destroy; 7–30 keeps them recoverable (and the name taken). */
  secretRecoveryWindowDays: number;
  tags: Record<string, string>;
  logRetentionDays: number;
  /** The Lambda Node.js runtime of every function (`GATEWAY_LAMBDA_RUNTIME`); bundles target it. */
  lambdaRuntime: LambdaRuntime;
  edge: EdgeConfig;
  alarms: AlarmConfig;
  idempotencyTtlSeconds: number;
  /** DynamoDB deletion protection on both tables (a destroy then fails until it is turned off). */
  deletionProtection: boolean;
  /**
   * DynamoDB point-in-time recovery on both tables (`GATEWAY_POINT_IN_TIME_RECOVERY`). Off by
   * default: the archive keeps events `archiveRetentionDays` and idempotency records an hour, and
   * PITR on the archive was ~$0.36 of the ~$4 per million GitHub deliveries (BENCHMARKS.md).
   */
  pointInTimeRecovery: boolean;
  /** Lifecycle expiry of claim checks: at least the longest a message can live (22 days). */
  claimCheckExpirationDays: number;
  /** Days an archived event is kept (the archive's `expiresat` TTL); default 30. */
  archiveRetentionDays: number;
  /**
   * X-Ray active tracing and the Powertools Tracer in every function. Off by default: loading the
   * Tracer costs the edge ~26 ms of cold start and slows every `await` (BENCHMARKS.md).
   */
  tracing: boolean;
  /**
   * Powertools' log level in every function (`POWERTOOLS_LOG_LEVEL`) and Lambda's application log
   * level (JSON log format; Lambda's own START/END/REPORT lines are dropped below WARN). Default
   * `WARN`: rejections, unrouted events and failures are logged, every delivery is still counted
   * in the metrics; `INFO` logs every delivery (~0.5 KiB of CloudWatch Logs each: BENCHMARKS.md).
   */
  logLevel: LogLevel;
  metricsNamespace: string;
  /** Directory holding `<name>/index.js` bundles (`npm run build` writes `dist/`). */
  distDir: string;
  backend?: StateBackendConfig;
  redelivery: RedeliveryConfig;
}

/**
 * A consumer with the defaults filled in.
 *
 * @example
 * consumer({ name: "prs", entry: "handlers/consumers/prs.ts", types: ["com.github.pull_request.*"] })
 */
export function consumer(
  partial: Partial<ConsumerDeployment> & Pick<ConsumerDeployment, "name" | "entry">,
): ConsumerDeployment {
  return {
    types: [],
    sources: [],
    fifo: false,
    timeoutSeconds: 30,
    memoryMb: 512,
    batchSize: 10,
    batchingWindowSeconds: 1,
    maxConcurrency: 5,
    maxReceiveCount: 5,
    environment: {},
    ...partial,
    access: { archiveTable: false, slackBotToken: false, ...partial.access },
  };
}

/**
 * The shipped consumers: the archive (every event), GitHub and Slack listeners, and the
 * GitHub-to-Slack notifier.
 *
 * @example
 * defaultConsumers("#eng").map((c) => c.name) // ["archive", "github", "slack", "notifier"]
 */
export function defaultConsumers(notifyChannel = "#github"): ConsumerDeployment[] {
  const entry = (name: string) => `handlers/consumers/${name}.ts`;
  return [
    consumer({
      name: "archive",
      entry: entry("archive"),
      types: ["*"],
      access: { archiveTable: true, slackBotToken: false },
    }),
    consumer({
      name: "github",
      entry: entry("github"),
      types: ["com.github.*"],
      access: { archiveTable: false, slackBotToken: false, githubApp: true },
    }),
    consumer({
      name: "slack",
      entry: entry("slack"),
      types: ["com.slack.*"],
      access: { archiveTable: false, slackBotToken: true },
    }),
    consumer({
      name: "notifier",
      entry: entry("notifier"),
      types: [...NOTIFIED_TYPES],
      environment: { [ENV.notifySlackChannel]: notifyChannel },
      access: { archiveTable: false, slackBotToken: true },
    }),
  ];
}

/**
 * The configuration with nothing overridden, for a stage.
 *
 * @example
 * defaultConfig("/repo").stage // "dev"
 */
export function defaultConfig(root: string, stage = "dev", name = "webhook-gateway"): GatewayConfig {
  return {
    name,
    stage,
    region: "us-east-1",
    consumers: defaultConsumers(),
    secretNames: {
      githubWebhook: `${name}/${stage}/github-webhook-secret`,
      slackSigningSecret: `${name}/${stage}/slack-signing-secret`,
      slackBotToken: `${name}/${stage}/slack-bot-token`,
      githubApp: `${name}/${stage}/github-app`,
      githubToken: `${name}/${stage}/github-token`,
    },
    secretRecoveryWindowDays: 7,
    tags: { project: name, stage },
    logRetentionDays: 30,
    lambdaRuntime: DEFAULT_LAMBDA_RUNTIME,
    edge: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 50 },
    alarms: { maxMessageAgeSeconds: 900, signatureFailures: 25 },
    idempotencyTtlSeconds: IDEMPOTENCY_TTL_SECONDS,
    deletionProtection: false,
    pointInTimeRecovery: false,
    claimCheckExpirationDays: CLAIM_CHECK_EXPIRATION_DAYS,
    archiveRetentionDays: ARCHIVE_RETENTION_DAYS,
    tracing: false,
    logLevel: DEFAULT_LOG_LEVEL,
    metricsNamespace: METRICS_NAMESPACE,
    distDir: `${root}/dist`,
    redelivery: defaultRedelivery(),
  };
}

/**
 * The scheduled redelivery, disabled, with the handler's own defaults (60 minutes, 3 attempts).
 *
 * @example
 * defaultRedelivery().enabled // false
 */
export function defaultRedelivery(): RedeliveryConfig {
  return {
    enabled: false,
    schedule: "rate(15 minutes)",
    lookbackMinutes: 60,
    maxAttempts: 3,
    timeoutSeconds: 60,
    memoryMb: 256,
    reservedConcurrency: 1,
  };
}

/** A consumer entry of `gateway.config.json`. */
export type ConsumerOverride = Partial<Omit<ConsumerDeployment, "access">> & {
  name: string;
  enabled?: boolean;
  access?: Partial<ConsumerDeployment["access"]>;
};

/** The shape of `gateway.config.json`: any subset of the configuration. */
export type ConfigFile = Partial<
  Omit<GatewayConfig, "consumers" | "edge" | "alarms" | "secretNames" | "redelivery">
> & {
  consumers?: ConsumerOverride[];
  edge?: Partial<GatewayConfig["edge"]>;
  alarms?: Partial<GatewayConfig["alarms"]>;
  secretNames?: Partial<GatewayConfig["secretNames"]>;
  notifySlackChannel?: string;
  /** Present: the scheduled redelivery is enabled unless `enabled` is false. */
  redelivery?: Partial<RedeliveryConfig>;
};

/** The Lambda Node.js runtimes the bundles are built for; the newest is the default. */
/** The log levels a function can run at (Powertools' and Lambda's names alike). */
export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** Deployed functions log warnings and errors only; metrics count every delivery. */
export const DEFAULT_LOG_LEVEL: LogLevel = "WARN";

export const LAMBDA_RUNTIMES = ["nodejs24.x", "nodejs22.x"] as const;
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];
export const DEFAULT_LAMBDA_RUNTIME: LambdaRuntime = "nodejs24.x";

/**
 * The esbuild target of a Lambda runtime.
 *
 * @example
 * bundleTarget("nodejs24.x") // "node24"
 */
export function bundleTarget(runtime: LambdaRuntime): string {
  return runtime.replace(/^nodejs(\d+)\.x$/, "node$1");
}
