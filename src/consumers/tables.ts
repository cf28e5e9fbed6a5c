import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from "@aws-sdk/client-dynamodb";

/** The archive's secondary indexes: newest first per source, per type, per day. */
export const ARCHIVE_INDEXES = {
  bySource: "by-source",
  byType: "by-type",
  byDay: "by-day",
} as const;

/**
 * Creates the archive table (hash key `id`; GSIs `by-source`, `by-type`, `by-day`, each ranged on
 * `receivedat`, projection ALL) unless it exists, and waits until it is active. The deployed stack
 * declares the same table; this is for the local runtime and the tests.
 *
 * @example
 * await createArchiveTable(new DynamoDBClient({ endpoint: "http://127.0.0.1:8000" }), "archive");
 */
export async function createArchiveTable(ddb: DynamoDBClient, tableName: string): Promise<void> {
  const string = (name: string): AttributeDefinition => ({ AttributeName: name, AttributeType: "S" });
  const index = (name: string, hash: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: hash, KeyType: "HASH" as const },
      { AttributeName: "receivedat", KeyType: "RANGE" as const },
    ],
    Projection: { ProjectionType: "ALL" as const },
  });
  await createTable(ddb, {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      string("id"),
      string("source"),
      string("type"),
      string("day"),
      string("receivedat"),
    ],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      index(ARCHIVE_INDEXES.bySource, "source"),
      index(ARCHIVE_INDEXES.byType, "type"),
      index(ARCHIVE_INDEXES.byDay, "day"),
    ],
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
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
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
