import {
  IDEMPOTENCY_TTL_SECONDS,
  LAMBDA_RESERVED_ENVIRONMENT_NAMES,
  MAX_ARCHIVE_RETENTION_DAYS,
  MAX_IDEMPOTENCY_TTL_SECONDS,
  MIN_CLAIM_CHECK_EXPIRATION_DAYS,
  SQS_MAX_RETENTION_SECONDS,
} from "../contract/limits";
import { CONSUMER_NAME_PATTERN, CONSUMER_NAME_RULE } from "../contract/routing";
import { CodedError } from "../shared/errors";
import { type GatewayConfig, LAMBDA_RUNTIMES, LOG_LEVELS, type RedeliveryConfig } from "./gateway-config";

/** CloudWatch Logs accepts only these retention periods (0: never expire). */
const RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** A problem with the deployment configuration; the message names the field or variable. */
export class GatewayConfigError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super("invalid_gateway_config", message, options);
  }
}
const STAGE = /^[a-z0-9][a-z0-9-]{0,15}$/;
/** EventBridge rates: singular unit for 1, plural otherwise; cron takes six fields. */
const SCHEDULE =
  /^(rate\((1 (minute|hour|day)|([2-9]|[1-9][0-9]+) (minutes|hours|days))\)|cron\(\S+( \S+){5}\))$/;
/** GitHub keeps webhook deliveries for 3 days: a longer lookback finds nothing more. */
const MAX_LOOKBACK_MINUTES = 3 * 24 * 60;

/**
 * Checks the limits AWS would otherwise reject at deploy time, naming the field at fault.
 *
 * @example
 * validateConfig(defaultConfig("/repo")) // the same object
 */
export function validateConfig(config: GatewayConfig): GatewayConfig {
  const fail = (field: string, message: string): never => {
    throw new GatewayConfigError(`gateway config: ${field} ${message}`);
  };
  const int = (field: string, value: unknown, min: number, max: number) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      fail(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
  };
  if (!STAGE.test(config.stage)) fail("stage", "must be 1-16 lower-case letters, digits or '-'");
  if (!/^[a-z0-9-]{1,24}$/.test(config.name)) fail("name", "must be 1-24 lower-case letters, digits or '-'");
  // S3 bucket_prefix is limited to 37 characters; the stack uses "<name>-<stage>-claims-".
  if (`${config.name}-${config.stage}-claims-`.length > 37)
    fail("name", "and stage together must be at most 28 characters");
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]$/.test(config.region))
    fail("region", `is not an AWS region: ${config.region}`);
  if (!(LAMBDA_RUNTIMES as readonly string[]).includes(config.lambdaRuntime))
    fail("lambdaRuntime", `must be one of ${LAMBDA_RUNTIMES.join(", ")} (GATEWAY_LAMBDA_RUNTIME)`);
  if (!RETENTION_DAYS.includes(config.logRetentionDays))
    fail("logRetentionDays", `must be one of ${RETENTION_DAYS}`);
  int("edge.memoryMb", config.edge.memoryMb, 128, 10240);
  int("edge.timeoutSeconds", config.edge.timeoutSeconds, 1, 900);
  if (config.edge.reservedConcurrency !== null)
    int("edge.reservedConcurrency", config.edge.reservedConcurrency, 1, 10000);
  int(
    "idempotencyTtlSeconds",
    config.idempotencyTtlSeconds,
    IDEMPOTENCY_TTL_SECONDS,
    MAX_IDEMPOTENCY_TTL_SECONDS,
  );
  if (typeof config.deletionProtection !== "boolean") fail("deletionProtection", "must be true or false");
  if (typeof config.pointInTimeRecovery !== "boolean") fail("pointInTimeRecovery", "must be true or false");
  if (config.claimCheckExpirationDays < MIN_CLAIM_CHECK_EXPIRATION_DAYS) {
    // A claim check that expires before its message leaves the consumer an envelope it cannot open.
    fail(
      "claimCheckExpirationDays",
      `must be at least ${MIN_CLAIM_CHECK_EXPIRATION_DAYS}: a message can live ${MIN_CLAIM_CHECK_EXPIRATION_DAYS} days (queue retention, DLQ retention, queue retention again after a redrive), got ${JSON.stringify(config.claimCheckExpirationDays)}`,
    );
  }
  int("claimCheckExpirationDays", config.claimCheckExpirationDays, MIN_CLAIM_CHECK_EXPIRATION_DAYS, 3650);
  int("archiveRetentionDays", config.archiveRetentionDays, 1, MAX_ARCHIVE_RETENTION_DAYS);
  if (typeof config.tracing !== "boolean") fail("tracing", "must be true or false");
  if (!(LOG_LEVELS as readonly string[]).includes(config.logLevel))
    fail("logLevel", `must be one of ${LOG_LEVELS.join(", ")} (GATEWAY_LOG_LEVEL)`);
  int("secretRecoveryWindowDays", config.secretRecoveryWindowDays, 0, 30);
  if (config.secretRecoveryWindowDays > 0 && config.secretRecoveryWindowDays < 7) {
    fail("secretRecoveryWindowDays", "must be 0 or 7-30");
  }
  int("alarms.maxMessageAgeSeconds", config.alarms.maxMessageAgeSeconds, 60, SQS_MAX_RETENTION_SECONDS);
  int("alarms.signatureFailures", config.alarms.signatureFailures, 1, 1000000);
  if (config.consumers.length === 0) fail("consumers", "must name at least one consumer");
  const seen = new Set<string>();
  for (const c of config.consumers) {
    const where = `consumers.${c.name}`;
    if (!CONSUMER_NAME_PATTERN.test(c.name)) fail(where, CONSUMER_NAME_RULE);
    if (seen.has(c.name)) fail(where, "is defined twice");
    seen.add(c.name);
    if (`${config.name}-${config.stage}-${c.name}`.length > 64)
      fail(where, "makes a function name over 64 characters");
    if (typeof c.entry !== "string" || !c.entry.endsWith(".ts")) fail(`${where}.entry`, "must be a .ts file");
    for (const key of ["types", "sources"] as const) {
      if (!Array.isArray(c[key]) || c[key].some((p) => typeof p !== "string" || p.length === 0)) {
        fail(`${where}.${key}`, "must be an array of non-empty strings");
      }
    }
    int(`${where}.timeoutSeconds`, c.timeoutSeconds, 1, 900);
    int(`${where}.memoryMb`, c.memoryMb, 128, 10240);
    int(`${where}.maxConcurrency`, c.maxConcurrency, 2, 1000);
    int(`${where}.maxReceiveCount`, c.maxReceiveCount, 1, 1000);
    int(`${where}.batchingWindowSeconds`, c.batchingWindowSeconds, 0, 300);
    int(`${where}.batchSize`, c.batchSize, 1, c.fifo ? 10 : 10000);
    if (c.fifo && c.batchingWindowSeconds !== 0)
      fail(`${where}.batchingWindowSeconds`, "must be 0 for a FIFO queue");
    if (c.batchSize > 10 && c.batchingWindowSeconds < 1) {
      fail(`${where}.batchingWindowSeconds`, "must be at least 1 when batchSize is over 10");
    }
    validateEnvironment(c.environment ?? {}, `${where}.environment`, fail);
  }
  validateRedelivery(config.redelivery, fail, int);
  return config;
}

/**
 * Lambda's rules for variable names: a letter then letters, digits or `_` (two characters at
 * least), and none of the names the runtime reserves.
 */
function validateEnvironment(
  environment: Record<string, string>,
  where: string,
  fail: (field: string, message: string) => never,
): void {
  for (const [key, value] of Object.entries(environment)) {
    if (LAMBDA_RESERVED_ENVIRONMENT_NAMES.includes(key)) {
      fail(`${where}.${key}`, "is reserved by the Lambda runtime (it sets it; a function may not)");
    }
    if (!/^[A-Za-z][A-Za-z0-9_]+$/.test(key) || typeof value !== "string") {
      fail(`${where}.${key}`, "must be a string under a valid variable name");
    }
  }
}

function validateRedelivery(
  r: RedeliveryConfig,
  fail: (field: string, message: string) => never,
  int: (field: string, value: unknown, min: number, max: number) => void,
): void {
  if (typeof r.enabled !== "boolean") fail("redelivery.enabled", "must be true or false");
  // Disabled, the rest may be incomplete: nothing of it is deployed.
  if (!r.enabled) return;
  if (typeof r.schedule !== "string" || !SCHEDULE.test(r.schedule))
    fail(
      "redelivery.schedule",
      `must be rate(<n> minutes|hours|days) or cron(<6 fields>), got ${JSON.stringify(r.schedule)}`,
    );
  if (r.app !== undefined && typeof r.app !== "boolean") fail("redelivery.app", "must be true or false");
  const targets = [r.repo, r.org, r.app || undefined].filter((t) => t !== undefined);
  if (targets.length !== 1) fail("redelivery", "needs exactly one of repo, org or app: true");
  if (
    r.repo !== undefined &&
    (typeof r.repo !== "string" || !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(r.repo))
  )
    fail("redelivery.repo", "must look like owner/name");
  if (r.org !== undefined && (typeof r.org !== "string" || !/^[A-Za-z0-9-]+$/.test(r.org)))
    fail("redelivery.org", "must be an organization login");
  if (r.app) {
    if (r.hookId !== undefined)
      fail("redelivery.hookId", "must not be set with app: true (the App has one hook)");
  } else {
    int("redelivery.hookId", r.hookId, 1, Number.MAX_SAFE_INTEGER);
  }
  int("redelivery.lookbackMinutes", r.lookbackMinutes, 1, MAX_LOOKBACK_MINUTES);
  int("redelivery.maxAttempts", r.maxAttempts, 1, 100);
  int("redelivery.timeoutSeconds", r.timeoutSeconds, 1, 900);
  int("redelivery.memoryMb", r.memoryMb, 128, 10240);
  if (r.reservedConcurrency !== null) int("redelivery.reservedConcurrency", r.reservedConcurrency, 1, 10000);
}
