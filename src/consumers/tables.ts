import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from "@aws-sdk/client-dynamodb";
import {
  ARCHIVE_INDEXES,
  ARCHIVE_KEY,
  ARCHIVE_SORT_KEY,
  archiveIndexProjection,
  IDEMPOTENCY_KEY,
} from "../contract/tables";

/**
 * Creates the archive table (hash key `id`; one GSI, `by-day`, ranged on `receivedat`, projecting
 * the summary attributes: `archiveIndexProjection`) unless it exists, and
 * waits until it is active. The deployed stack declares the same table (and its `expiresat` TTL,
 * which dynalite does not apply); this is for the local runtime and the tests.
 *
 * @example
 * await createArchiveTable(new DynamoDBClient({ endpoint: "http://127.0.0.1:8000" }), "archive");
 */
export async function createArchiveTable(ddb: DynamoDBClient, tableName: string): Promise<void> {
  const string = (name: string): AttributeDefinition => ({ AttributeName: name, AttributeType: "S" });
  const indexes = Object.values(ARCHIVE_INDEXES);
  const index = (i: (typeof indexes)[number]) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.hashKey, KeyType: "HASH" as const },
      { AttributeName: ARCHIVE_SORT_KEY, KeyType: "RANGE" as const },
    ],
    Projection: { ProjectionType: "INCLUDE" as const, NonKeyAttributes: archiveIndexProjection(i) },
  });
  await createTable(ddb, {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      string(ARCHIVE_KEY),
      ...indexes.map((i) => string(i.hashKey)),
      string(ARCHIVE_SORT_KEY),
    ],
    KeySchema: [{ AttributeName: ARCHIVE_KEY, KeyType: "HASH" }],
    GlobalSecondaryIndexes: indexes.map(index),
  });
}

/**
 * Creates the Powertools idempotency table (hash key `id`) unless it exists. In AWS the stack
 * also enables TTL on `expiration`; Powertools checks expiry itself, so the local table needs none.
 *
 * @example
 * await createIdempotencyTable(ddb, "idempotency");
 */
export async function createIdempotencyTable(ddb: DynamoDBClient, tableName: string): Promise<void> {
  await createTable(ddb, {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_KEY, AttributeType: "S" }],
    KeySchema: [{ AttributeName: IDEMPOTENCY_KEY, KeyType: "HASH" }],
  });
}

async function createTable(ddb: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  try {
    await ddb.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilActive(ddb, input.TableName as string);
}

/** Polls quickly (the SDK waiter sleeps at least a second; dynalite is ready in milliseconds). */
async function waitUntilActive(ddb: DynamoDBClient, tableName: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === "ACTIVE",
    );
    if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
    if (performance.now() > deadline)
      throw new Error(`Table ${tableName} is not active after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
