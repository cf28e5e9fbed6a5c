import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";

export interface EventTablesProps {
  /** `<name>-<stage>`; tables are `<prefix>-idempotency` and `<prefix>-archive`. */
  prefix: string;
  deletionProtection: boolean;
}

/** The GSIs of the archive: list events by source, type or day, newest last. */
export const ARCHIVE_INDEXES = [
  { name: "by-source", hashKey: "source" },
  { name: "by-type", hashKey: "type" },
  { name: "by-day", hashKey: "day" },
] as const;

/**
 * The two DynamoDB tables, on demand, with point-in-time recovery and encryption at rest:
 *
 * - idempotency: Powertools' record per event id (`id`), expired by TTL on `expiration`;
 * - archive: one item per event (`id`), queryable by source, type and day through GSIs sorted by
 *   `receivedat`; items may carry `expiresat` to age out, or not to be kept forever.
 *
 * @example
 * const tables = new EventTables(this, "tables", { prefix: "webhook-gateway-dev", deletionProtection: false });
 */
export class EventTables extends Construct {
  readonly idempotency: DynamodbTable;
  readonly archive: DynamodbTable;

  constructor(scope: Construct, id: string, props: EventTablesProps) {
    super(scope, id);
    const common = {
      billingMode: "PAY_PER_REQUEST",
      deletionProtectionEnabled: props.deletionProtection,
      hashKey: "id",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
    };
    this.idempotency = new DynamodbTable(this, "idempotency", {
      ...common,
      name: `${props.prefix}-idempotency`,
      attribute: [{ name: "id", type: "S" }],
      ttl: { attributeName: "expiration", enabled: true },
    });
    this.archive = new DynamodbTable(this, "archive", {
      ...common,
      name: `${props.prefix}-archive`,
      attribute: ["id", "source", "type", "day", "receivedat"].map((name) => ({ name, type: "S" })),
      globalSecondaryIndex: ARCHIVE_INDEXES.map((index) => ({
        name: index.name,
        hashKey: index.hashKey,
        rangeKey: "receivedat",
        projectionType: "ALL",
      })),
      ttl: { attributeName: "expiresat", enabled: true },
    });
  }
}
