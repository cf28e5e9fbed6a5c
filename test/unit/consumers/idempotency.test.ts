import { IdempotencyConfig } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createIdempotency, idempotencyKey } from "../../../src/consumers/idempotency";
import { ConfigError } from "../../../src/shared/errors";

const ddb = new DynamoDBClient({ region: "us-east-1" });

afterAll(() => ddb.destroy());

test("idempotencyKey is the key Powertools stores for the consumer and the event id", () => {
  const layer = new DynamoDBPersistenceLayer({ tableName: "idempotency", awsSdkV3Client: ddb });
  layer.configure({ config: new IdempotencyConfig({ eventKeyJmesPath: "id" }), keyPrefix: "archive" });
  const id = "github:72d3162e-cc78-11e3-81ab-4c9367dc0958";

  // Protected in Powertools' types; reached here on purpose, as the oracle for our computation.
  const powertoolsKey = (
    layer as unknown as { getHashedIdempotencyKey(data: unknown): string }
  ).getHashedIdempotencyKey({
    id,
    type: "anything",
  });

  expect(idempotencyKey("archive", id)).toBe(powertoolsKey);
  expect(idempotencyKey("archive", id)).toMatch(/^archive#[A-Za-z0-9+/]{22}==$/);
});

test("records last 7 days by default", () => {
  const { config } = createIdempotency({ ddb, tableName: "idempotency", keyPrefix: "archive" });

  expect(config.expiresAfterSeconds).toBe(604_800);
  expect(config.eventKeyJmesPath).toBe("id");
  expect(config.throwOnNoIdempotencyKey).toBe(true);
});

test("an expiry shorter than 7 days is refused", () => {
  expect(() => createIdempotency({ ddb, tableName: "t", keyPrefix: "a", expiresAfterSeconds: 3600 })).toThrow(
    ConfigError,
  );
});
