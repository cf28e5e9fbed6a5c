/**
 * Where the deployed configuration comes from, lowest precedence first:
 *
 * 1. the defaults in config.ts (the four shipped consumers);
 * 2. `gateway.config.json` at the repository root, or the file named by `GATEWAY_CONFIG`;
 * 3. environment variables: `GATEWAY_STAGE`, `GATEWAY_REGION` (then `AWS_REGION`,
 *    `AWS_DEFAULT_REGION` when neither the file nor `GATEWAY_REGION` names one),
 *    `GATEWAY_ALARM_TOPIC_ARN`, `GATEWAY_LOG_RETENTION_DAYS`, `GATEWAY_ARCHIVE_RETENTION_DAYS`,
 *    `GATEWAY_TRACING` (`true`/`false`), `GATEWAY_LOG_LEVEL` (`DEBUG`, `INFO`, `WARN`, `ERROR`),
 *    `GATEWAY_POINT_IN_TIME_RECOVERY` (`true`/`false`), `GATEWAY_EDGE_RESERVED_CONCURRENCY`
 *    (a number, or `none`), `GATEWAY_NOTIFY_SLACK_CHANNEL`, `GATEWAY_DIST_DIR`,
 *    `GATEWAY_STATE_BUCKET` (S3 backend; key `<name>/<stage>/terraform.tfstate`); for the scheduled
 *    redelivery, `GATEWAY_REDELIVERY_REPO` (owner/name), `GATEWAY_REDELIVERY_ORG` or
 *    `GATEWAY_REDELIVERY_APP=true` (any of them replaces the file's hook and enables the job),
 *    `GATEWAY_REDELIVERY_HOOK_ID`, `GATEWAY_REDELIVERY_SCHEDULE`,
 *    `GATEWAY_REDELIVERY_RESERVED_CONCURRENCY` (a number, or `none`) and `GATEWAY_REDELIVERY_ENABLED`
 *    (`true`/`false`, applied last).
 *
 * The file is checked strictly first (file-schema.ts): a syntax error by line and column, an
 * unknown key with the likeliest meant one, a value of the wrong type by its path.
 *
 * In the file, `consumers` entries are merged by `name` into the defaults (`"enabled": false`
 * removes one; a new name needs at least `entry`), and `environment`/`access` merge key by key.
 * A `redelivery` section enables the scheduled redelivery unless it says `"enabled": false`.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { checkConfigFile } from "./file-schema";
import {
  type ConfigFile,
  type ConsumerDeployment,
  type ConsumerOverride,
  consumer,
  defaultConfig,
  defaultConsumers,
  type GatewayConfig,
  type RedeliveryConfig,
} from "./gateway-config";
import { parseJson } from "./json-text";
import { GatewayConfigError, validateConfig } from "./validate";

type Env = Readonly<Record<string, string | undefined>>;

export type { ConfigFile, ConsumerOverride };

/**
 * Reads, merges and validates the configuration; every problem names its field or variable.
 *
 * @example
 * const config = loadGatewayConfig({ root: "/repo", env: process.env });
 */
export function loadGatewayConfig(options: { root: string; env?: Env; file?: ConfigFile }): GatewayConfig {
  const env = options.env ?? process.env;
  const file = options.file
    ? checkConfigFile(options.file, "gateway config")
    : readConfigFile(options.root, env);
  const value = (name: string) => env[name]?.trim() || undefined;
  const stage = value("GATEWAY_STAGE") ?? file.stage ?? "dev";
  const base = defaultConfig(options.root, stage, file.name);
  const notifyChannel = value("GATEWAY_NOTIFY_SLACK_CHANNEL") ?? file.notifySlackChannel;
  const config: GatewayConfig = {
    ...base,
    ...withoutUndefined({
      ...file,
      consumers: undefined,
      notifySlackChannel: undefined,
      redelivery: undefined,
    }),
    stage,
    region:
      value("GATEWAY_REGION") ??
      file.region ??
      value("AWS_REGION") ??
      value("AWS_DEFAULT_REGION") ??
      base.region,
    consumers: mergeConsumers(defaultConsumers(notifyChannel), file.consumers ?? []),
    secretNames: { ...base.secretNames, ...file.secretNames },
    tags: { ...base.tags, ...file.tags },
    edge: { ...base.edge, ...file.edge },
    alarms: { ...base.alarms, ...file.alarms },
    redelivery: mergeRedelivery(base.redelivery, file.redelivery, value),
  };
  const topic = value("GATEWAY_ALARM_TOPIC_ARN");
  if (topic) config.alarms.topicArn = topic;
  const retention = value("GATEWAY_LOG_RETENTION_DAYS");
  if (retention) config.logRetentionDays = integer("GATEWAY_LOG_RETENTION_DAYS", retention);
  const runtime = value("GATEWAY_LAMBDA_RUNTIME");
  if (runtime) config.lambdaRuntime = runtime as GatewayConfig["lambdaRuntime"];
  const reserved = concurrency(
    "GATEWAY_EDGE_RESERVED_CONCURRENCY",
    value("GATEWAY_EDGE_RESERVED_CONCURRENCY"),
  );
  if (reserved !== undefined) config.edge.reservedConcurrency = reserved;
  const archiveRetention = value("GATEWAY_ARCHIVE_RETENTION_DAYS");
  if (archiveRetention)
    config.archiveRetentionDays = integer("GATEWAY_ARCHIVE_RETENTION_DAYS", archiveRetention);
  const tracing = flag("GATEWAY_TRACING", value("GATEWAY_TRACING"));
  if (tracing !== undefined) config.tracing = tracing;
  const pitr = flag("GATEWAY_POINT_IN_TIME_RECOVERY", value("GATEWAY_POINT_IN_TIME_RECOVERY"));
  if (pitr !== undefined) config.pointInTimeRecovery = pitr;
  const logLevel = value("GATEWAY_LOG_LEVEL");
  if (logLevel) config.logLevel = logLevel.toUpperCase() as GatewayConfig["logLevel"];
  const dist = value("GATEWAY_DIST_DIR") ?? config.distDir;
  config.distDir = isAbsolute(dist) ? dist : join(options.root, dist);
  const bucket = value("GATEWAY_STATE_BUCKET");
  if (bucket)
    config.backend = { bucket, key: `${config.name}/${stage}/terraform.tfstate`, region: config.region };
  return validateConfig(config);
}

/**
 * Reads `GATEWAY_CONFIG` or `<root>/gateway.config.json`, checked strictly (file-schema.ts); an
 * absent default file is an empty one.
 *
 * @example
 * readConfigFile("/repo", process.env) // {} without a file
 */
export function readConfigFile(root: string, env: Env): ConfigFile {
  const named = env.GATEWAY_CONFIG?.trim();
  const path = named ? (isAbsolute(named) ? named : join(root, named)) : join(root, "gateway.config.json");
  if (!existsSync(path)) {
    if (named) throw new GatewayConfigError(`GATEWAY_CONFIG: ${path} does not exist`);
    return {};
  }
  const parsed = parseJson(readFileSync(path, "utf8"));
  if (!parsed.ok) {
    const { line, column, reason } = parsed.problem;
    throw new GatewayConfigError(`${path}:${line}:${column}: invalid JSON: ${reason}`);
  }
  return checkConfigFile(parsed.value, path);
}

function mergeConsumers(defaults: ConsumerDeployment[], overrides: ConsumerOverride[]): ConsumerDeployment[] {
  const merged = new Map(defaults.map((c) => [c.name, c]));
  overrides.forEach((override, index) => {
    if (!override || typeof override.name !== "string")
      throw new GatewayConfigError(`consumers[${index}].name is required`);
    const { enabled, ...fields } = override;
    if (enabled === false) {
      merged.delete(override.name);
      return;
    }
    const current = merged.get(override.name);
    if (!current && typeof fields.entry !== "string") {
      throw new GatewayConfigError(`consumers[${index}] (${override.name}): a new consumer needs "entry"`);
    }
    const base = current ?? consumer({ name: override.name, entry: fields.entry as string });
    merged.set(override.name, {
      ...base,
      ...withoutUndefined(fields),
      environment: { ...base.environment, ...fields.environment },
      access: { ...base.access, ...fields.access },
    });
  });
  return [...merged.values()];
}

function mergeRedelivery(
  base: RedeliveryConfig,
  file: Partial<RedeliveryConfig> | undefined,
  value: (name: string) => string | undefined,
): RedeliveryConfig {
  if (file !== undefined && (file === null || typeof file !== "object" || Array.isArray(file)))
    throw new GatewayConfigError("redelivery must be an object");
  const merged: RedeliveryConfig = file ? { ...base, enabled: true, ...withoutUndefined(file) } : { ...base };
  const repo = value("GATEWAY_REDELIVERY_REPO");
  const org = value("GATEWAY_REDELIVERY_ORG");
  const app = flag("GATEWAY_REDELIVERY_APP", value("GATEWAY_REDELIVERY_APP"));
  if (repo || org || app) {
    // The hook is one of the three: a hook named in the environment replaces the file's.
    delete merged.repo;
    delete merged.org;
    delete merged.app;
    delete merged.hookId;
    Object.assign(merged, withoutUndefined({ repo, org, app: app || undefined }), { enabled: true });
  }
  const hookId = value("GATEWAY_REDELIVERY_HOOK_ID");
  if (hookId) merged.hookId = integer("GATEWAY_REDELIVERY_HOOK_ID", hookId);
  const schedule = value("GATEWAY_REDELIVERY_SCHEDULE");
  if (schedule) merged.schedule = schedule;
  const reserved = concurrency(
    "GATEWAY_REDELIVERY_RESERVED_CONCURRENCY",
    value("GATEWAY_REDELIVERY_RESERVED_CONCURRENCY"),
  );
  if (reserved !== undefined) merged.reservedConcurrency = reserved;
  const enabled = flag("GATEWAY_REDELIVERY_ENABLED", value("GATEWAY_REDELIVERY_ENABLED"));
  if (enabled !== undefined) merged.enabled = enabled;
  return merged;
}

function flag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== "true" && value !== "false")
    throw new GatewayConfigError(`${name} must be true or false, got "${value}"`);
  return value === "true";
}

/** A reserved concurrency variable: a number, or `none` (`null`: no reservation). */
function concurrency(name: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  return value === "none" ? null : integer(name, value, "or none");
}

function integer(name: string, value: string, or = ""): number {
  if (!/^[0-9]+$/.test(value))
    throw new GatewayConfigError(`${name} must be a whole number${or ? ` ${or}` : ""}, got "${value}"`);
  return Number(value);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
