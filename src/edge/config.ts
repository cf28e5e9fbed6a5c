import { ENV } from "../contract/environment";
import type { Provider } from "../contract/event";
import { DEFAULT_SECRETS_TTL_SECONDS, MAX_BODY_BYTES } from "../contract/limits";
import type { RouteConfig } from "../contract/routing";
import { ConfigError } from "../shared/errors";
import { parseSecretList } from "../shared/secrets";
import { DEFAULT_DEADLINES } from "./gateway";
import { DEFAULT_MAX_DEPTH } from "./json";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads an optional string; empty counts as absent.
 *
 * @example
 * readString(process.env, "CLAIM_CHECK_BUCKET") // "gateway-payloads" | undefined
 */
export function readString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/**
 * Reads a positive integer, with a default; anything else fails with the variable's name.
 *
 * @example
 * readInt(process.env, "MAX_JSON_DEPTH", 64) // 64
 */
export function readInt(env: Env, name: string, fallback: number): number {
  const value = readString(env, name);
  if (value === undefined) return fallback;
  if (!/^[0-9]+$/.test(value) || Number(value) <= 0)
    throw new ConfigError(name, "must be a positive integer");
  return Number(value);
}

/**
 * Reads a JSON value.
 *
 * @example
 * readJson(process.env, "GATEWAY_ROUTES") // [{ name: "archive", queueUrl: "…" }]
 */
export function readJson(env: Env, name: string): unknown {
  const value = readString(env, name);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError(name, "must be valid JSON");
  }
}

/** Where one provider's secrets come from: the environment, a Secrets Manager secret, or a loader. */
export type SecretConfig =
  | { from: "env"; values: string[] }
  | { from: "secrets-manager"; secretId: string }
  /** Read again every `secretsTtlMs` (the local runtime re-reads `.env` this way). */
  | { from: "loader"; load: () => readonly string[] | Promise<readonly string[]> };

export interface IngestConfig {
  routes: RouteConfig[];
  secrets: Partial<Record<Provider, SecretConfig>>;
  maxBodyBytes: number;
  maxDepth: number;
  deadlines: Record<Provider, number>;
  claimCheckBucket: string | undefined;
  secretsTtlMs: number;
  /** Per-attempt SQS request timeout, in ms. */
  sqsRequestTimeoutMs: number;
}

/** Each provider's secrets: inline (comma-separated), or the id of a Secrets Manager secret. */
const SECRET_VARIABLES: Record<Provider, { inline: string; secretId: string }> = {
  github: { inline: ENV.githubWebhookSecret, secretId: ENV.githubWebhookSecretId },
  slack: { inline: ENV.slackSigningSecret, secretId: ENV.slackSigningSecretId },
};

/**
 * Reads the edge's configuration once, at cold start. Every problem names its variable.
 *
 * @example
 * const config = loadIngestConfig(process.env);
 */
export function loadIngestConfig(env: Env): IngestConfig {
  const routes = readJson(env, ENV.gatewayRoutes);
  if (!Array.isArray(routes) || routes.length === 0) {
    throw new ConfigError(ENV.gatewayRoutes, "must be a JSON array with at least one route");
  }
  const secrets: Partial<Record<Provider, SecretConfig>> = {};
  for (const provider of ["github", "slack"] as const) {
    const variable = SECRET_VARIABLES[provider];
    const secretId = readString(env, variable.secretId);
    const inline = readString(env, variable.inline);
    if (secretId && inline)
      throw new ConfigError(
        variable.inline,
        `set either ${variable.inline} or ${variable.secretId}, not both`,
      );
    if (secretId) secrets[provider] = { from: "secrets-manager", secretId };
    else if (inline) secrets[provider] = { from: "env", values: parseSecretList(inline) };
  }
  if (!secrets.github && !secrets.slack) {
    throw new ConfigError(
      ENV.githubWebhookSecret,
      "no provider is configured (set a GitHub or Slack secret)",
    );
  }
  return {
    routes: routes as RouteConfig[],
    secrets,
    claimCheckBucket: readString(env, ENV.claimCheckBucket),
    ...readIngestLimits(env),
  };
}

/** The edge's limits and timeouts: everything in {@link IngestConfig} but routes, secrets and bucket. */
export type IngestLimits = Omit<IngestConfig, "routes" | "secrets" | "claimCheckBucket">;

/**
 * Reads the edge's limits and timeouts (each with its default), for a caller that supplies the
 * routes, secrets and bucket itself, such as the local runtime.
 *
 * @example
 * readIngestLimits({}) // { maxBodyBytes: 6291456, maxDepth: 64, deadlines: { github: 8000, slack: 2000 }, … }
 */
export function readIngestLimits(env: Env): IngestLimits {
  return {
    maxBodyBytes: readInt(env, ENV.maxBodyBytes, MAX_BODY_BYTES),
    maxDepth: readInt(env, ENV.maxJsonDepth, DEFAULT_MAX_DEPTH),
    deadlines: {
      github: readInt(env, ENV.githubDeadlineMs, DEFAULT_DEADLINES.github),
      slack: readInt(env, ENV.slackDeadlineMs, DEFAULT_DEADLINES.slack),
    },
    secretsTtlMs: readInt(env, ENV.secretsTtlSeconds, DEFAULT_SECRETS_TTL_SECONDS) * 1000,
    sqsRequestTimeoutMs: readInt(env, ENV.sqsRequestTimeoutMs, 1500),
  };
}
