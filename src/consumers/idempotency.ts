import { createHash } from "node:crypto";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import type { ItempotentFunctionOptions } from "@aws-lambda-powertools/idempotency/types";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ENV } from "../contract/environment";
import { IDEMPOTENCY_TTL_SECONDS } from "../contract/limits";
import { IDEMPOTENCY_EXPIRY_ATTRIBUTE, IDEMPOTENCY_KEY } from "../contract/tables";
import { ConfigError } from "../shared/errors";

/** Seven days: GitHub lets people redeliver a delivery for days, and a redelivery keeps its id. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = IDEMPOTENCY_TTL_SECONDS;

export interface IdempotencyOptions {
  ddb?: DynamoDBClient;
  tableName?: string;
  /** Replaces the DynamoDB table (`ddb`, `tableName`): the test kit's in-memory store. */
  persistenceStore?: BasePersistenceLayer;
  /** The consumer name: one record per (consumer, event id). */
  keyPrefix: string;
  /** At least {@link DEFAULT_IDEMPOTENCY_TTL_SECONDS}. */
  expiresAfterSeconds?: number;
}

export interface Idempotency {
  /** Holds the Lambda context: in-progress records expire with the invocation's deadline. */
  config: IdempotencyConfig;
  /** Wraps `fn` so that it runs at most once per `id` of its first argument. */
  wrap<A extends { id: string }, B, R>(
    fn: (event: A, extra: B) => Promise<R>,
  ): (event: A, extra: B) => Promise<R>;
}

/**
 * Powertools idempotency keyed on the event id, scoped to one consumer.
 *
 * The key prefix is the consumer name rather than the default `AWS_LAMBDA_FUNCTION_NAME`, so the
 * same event is processed once by each consumer even when all of them share one process and one
 * function name (the local runtime). Each consumer gets its own persistence layer: Powertools
 * reconfigures a layer's prefix on every call, so a shared one would race between consumers.
 *
 * @example
 * const idempotency = createIdempotency({ ddb, tableName: "idempotency", keyPrefix: "archive" });
 * const once = idempotency.wrap(async (event: GatewayEvent, extra: Extra) => archive(event));
 */
export function createIdempotency(options: IdempotencyOptions): Idempotency {
  const expiresAfterSeconds = options.expiresAfterSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;
  if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds < DEFAULT_IDEMPOTENCY_TTL_SECONDS) {
    throw new ConfigError(
      ENV.idempotencyTtlSeconds,
      `must be at least ${DEFAULT_IDEMPOTENCY_TTL_SECONDS} (7 days)`,
    );
  }
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "id",
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds,
  });
  const persistenceStore = options.persistenceStore ?? dynamoStore(options);
  return {
    config,
    wrap: <A extends { id: string }, B, R>(fn: (event: A, extra: B) => Promise<R>) => {
      // The first argument is the idempotency payload; the second is never hashed. (The options
      // type is conditional on the second argument being a Lambda Context, hence the assertion.)
      const wrapOptions = { persistenceStore, config, keyPrefix: options.keyPrefix, dataIndexArgument: 0 };
      return makeIdempotent(fn, wrapOptions as ItempotentFunctionOptions<[A, B]>);
    },
  };
}

function dynamoStore(options: IdempotencyOptions): BasePersistenceLayer {
  if (!options.ddb || !options.tableName) {
    throw new ConfigError(ENV.idempotencyTable, "is required (or an idempotency persistence store)");
  }
  return new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    keyAttr: IDEMPOTENCY_KEY,
    expiryAttr: IDEMPOTENCY_EXPIRY_ATTRIBUTE,
    awsSdkV3Client: options.ddb,
  });
}

/**
 * The key Powertools stores for (consumer, event id): `<prefix>#<md5 of the JSON id, base64>`.
 *
 * @example
 * idempotencyKey("archive", "github:72d3162e-cc78-11e3-81ab-4c9367dc0958") // "archive#…=="
 */
export function idempotencyKey(consumer: string, eventId: string): string {
  return `${consumer}#${createHash("md5").update(JSON.stringify(eventId)).digest("base64")}`;
}
