/**
 * The strict shape of `gateway.config.json`: every key known, every value of its type, at every
 * level. Ranges and cross-field rules are validate.ts's; this catches what would otherwise be
 * merged silently (a misspelt key is ignored, `"enabled": "no"` is truthy).
 */
import type {
  AlarmConfig,
  ConfigFile,
  ConsumerAccess,
  ConsumerOverride,
  EdgeConfig,
  RedeliveryConfig,
  SecretNames,
  StateBackendConfig,
} from "./gateway-config";
import { GatewayConfigError } from "./validate";

type Scalar = "string" | "integer" | "boolean" | "integer-or-null" | "strings" | "string-map";

/** An object's keys and the required ones among them. */
interface Shape {
  fields: Readonly<Record<string, Field>>;
  required?: readonly string[];
}

type Field = Scalar | { shape: Shape } | { arrayOf: Shape };

/** Every key of `T`, no other (`satisfies` keeps the lists in step with the types). */
type FieldsOf<T> = { [K in keyof Required<T>]: Field };

const WHAT: Record<Scalar | "object" | "array", string> = {
  string: "a string",
  integer: "a whole number",
  boolean: "true or false",
  "integer-or-null": "a whole number or null",
  strings: "an array of strings",
  "string-map": "an object of strings",
  object: "an object",
  array: "an array",
};

const ACCESS = {
  archiveTable: "boolean",
  slackBotToken: "boolean",
  githubApp: "boolean",
} satisfies FieldsOf<ConsumerAccess>;

const CONSUMER = {
  name: "string",
  enabled: "boolean",
  entry: "string",
  types: "strings",
  sources: "strings",
  fifo: "boolean",
  timeoutSeconds: "integer",
  memoryMb: "integer",
  batchSize: "integer",
  batchingWindowSeconds: "integer",
  maxConcurrency: "integer",
  maxReceiveCount: "integer",
  environment: "string-map",
  access: { shape: { fields: ACCESS } },
} satisfies FieldsOf<ConsumerOverride>;

const SECRET_NAMES = {
  githubWebhook: "string",
  slackSigningSecret: "string",
  slackBotToken: "string",
  githubToken: "string",
  githubApp: "string",
} satisfies FieldsOf<SecretNames>;

const EDGE = {
  memoryMb: "integer",
  timeoutSeconds: "integer",
  reservedConcurrency: "integer-or-null",
} satisfies FieldsOf<EdgeConfig>;

const ALARMS = {
  topicArn: "string",
  maxMessageAgeSeconds: "integer",
  signatureFailures: "integer",
} satisfies FieldsOf<AlarmConfig>;

const BACKEND = { bucket: "string", key: "string", region: "string" } satisfies FieldsOf<StateBackendConfig>;

const REDELIVERY = {
  enabled: "boolean",
  schedule: "string",
  repo: "string",
  org: "string",
  hookId: "integer",
  app: "boolean",
  lookbackMinutes: "integer",
  maxAttempts: "integer",
  timeoutSeconds: "integer",
  memoryMb: "integer",
  reservedConcurrency: "integer-or-null",
} satisfies FieldsOf<RedeliveryConfig>;

const FILE: Shape = {
  fields: {
    name: "string",
    stage: "string",
    region: "string",
    consumers: { arrayOf: { fields: CONSUMER, required: ["name"] } },
    secretNames: { shape: { fields: SECRET_NAMES } },
    secretRecoveryWindowDays: "integer",
    tags: "string-map",
    logRetentionDays: "integer",
    lambdaRuntime: "string",
    edge: { shape: { fields: EDGE } },
    alarms: { shape: { fields: ALARMS } },
    idempotencyTtlSeconds: "integer",
    deletionProtection: "boolean",
    pointInTimeRecovery: "boolean",
    claimCheckExpirationDays: "integer",
    archiveRetentionDays: "integer",
    tracing: "boolean",
    logLevel: "string",
    metricsNamespace: "string",
    distDir: "string",
    backend: { shape: { fields: BACKEND, required: ["bucket", "key", "region"] } },
    notifySlackChannel: "string",
    redelivery: { shape: { fields: REDELIVERY } },
  } satisfies FieldsOf<ConfigFile>,
};

/**
 * Checks a parsed configuration file against its shape; `where` (the file's path) starts every
 * message, which names the value by its path (`consumers[1].enabled`).
 *
 * @example
 * checkConfigFile({ alarm: {} }, "gateway.config.json")
 * // GatewayConfigError: gateway.config.json: alarm is not a known key (did you mean "alarms"?)
 */
export function checkConfigFile(value: unknown, where: string): ConfigFile {
  const fail = (message: string): never => {
    throw new GatewayConfigError(`${where}: ${message}`);
  };
  if (!isObject(value)) fail(`must be a JSON object, got ${describe(value)}`);
  checkShape(value as Record<string, unknown>, FILE, "", fail);
  return value as ConfigFile;
}

function checkShape(
  value: Record<string, unknown>,
  shape: Shape,
  path: string,
  fail: (message: string) => never,
): void {
  const known = Object.keys(shape.fields);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const suggestion = closest(key, known);
      fail(
        `${at(key)} is not a known key ${suggestion ? `(did you mean "${suggestion}"?)` : `(known: ${known.join(", ")})`}`,
      );
    }
  }
  for (const key of shape.required ?? []) {
    if (value[key] === undefined) fail(`${at(key)} is required`);
  }
  for (const [key, field] of Object.entries(shape.fields) as [string, Field][]) {
    if (value[key] !== undefined) checkField(value[key], field, at(key), fail);
  }
}

function checkField(value: unknown, field: Field, path: string, fail: (message: string) => never): void {
  const wrong = (what: keyof typeof WHAT) => fail(`${path} must be ${WHAT[what]}, got ${describe(value)}`);
  if (typeof field === "object") {
    if ("shape" in field) {
      if (!isObject(value)) wrong("object");
      checkShape(value as Record<string, unknown>, field.shape, path, fail);
      return;
    }
    if (!Array.isArray(value)) wrong("array");
    (value as unknown[]).forEach((item, index) => {
      if (!isObject(item)) fail(`${path}[${index}] must be an object, got ${describe(item)}`);
      checkShape(item as Record<string, unknown>, field.arrayOf, `${path}[${index}]`, fail);
    });
    return;
  }
  if (!fits(value, field)) wrong(field);
}

function fits(value: unknown, kind: Scalar): boolean {
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "integer-or-null":
      return value === null || Number.isInteger(value);
    case "strings":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
    case "string-map":
      return isObject(value) && Object.values(value).every((item) => typeof item === "string");
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A value as it appears in JSON, shortened: `"no"`, `5`, `null`, `[…]`. */
function describe(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 37)}…` : json;
}

/**
 * The known key a misspelt one most likely meant: same letters ignoring case, one a prefix of the
 * other, or within a few edits (a third of the key's length, at least 1, at most 3).
 *
 * @example
 * closest("alarm", ["alarms", "edge"]) // "alarms"
 */
export function closest(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const budget = Math.min(3, Math.max(1, Math.floor(key.length / 3)));
  const ranked = known
    .map((candidate) => {
      const other = candidate.toLowerCase();
      const prefix =
        Math.min(lower.length, other.length) >= 4 && (other.startsWith(lower) || lower.startsWith(other));
      return { candidate, distance: prefix ? 0.5 : editDistance(lower, other) };
    })
    .filter(({ distance }) => distance <= budget)
    .sort((a, b) => a.distance - b.distance);
  return ranked[0]?.candidate;
}

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours ("entyr"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
