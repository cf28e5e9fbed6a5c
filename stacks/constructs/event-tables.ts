import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import {
  ARCHIVE_EXPIRY_ATTRIBUTE,
  ARCHIVE_INDEXES,
  ARCHIVE_KEY,
  ARCHIVE_SORT_KEY,
  archiveIndexProjection,
  IDEMPOTENCY_EXPIRY_ATTRIBUTE,
  IDEMPOTENCY_KEY,
} from "../../src/contract/tables";

export interface EventTablesProps {
  /** `<name>-<stage>`; tables are `<prefix>-idempotency` and `<prefix>-archive`. */
  prefix: string;
  deletionProtection: boolean;
  /** Point-in-time recovery on both tables (config `pointInTimeRecovery`, default false). */
  pointInTimeRecovery?: boolean;
}

/**
 * The two DynamoDB tables, on demand, with encryption at rest and point-in-time recovery when
 * `pointInTimeRecovery`:
 *
 * - idempotency: Powertools' record per event id (`id`), expired by TTL on `expiration`;
 * - archive: one item per event (`id`, the event brotli-compressed), queryable by day through one
 *   GSI sorted by `receivedat` that projects only the summary attributes (one write unit per event;
 *   listings by type or source filter on them; they read the full items by id), expired by TTL on `expiresat`
 *   (`archiveRetentionDays` after the event was received).
 *
 * @example
 * const tables = new EventTables(this, "tables", { prefix: "webhook-gateway-dev", deletionProtection: false });
 */
export class EventTables extends Construct {
  readonly idempotency: DynamodbTable;
  readonly archive: DynamodbTable;

  constructor(scope: Construct, id: string, props: EventTablesProps) {
    super(scope, id);
    const indexes = Object.values(ARCHIVE_INDEXES);
    const common = {
      billingMode: "PAY_PER_REQUEST",
      deletionProtectionEnabled: props.deletionProtection,
      pointInTimeRecovery: { enabled: props.pointInTimeRecovery ?? false },
      serverSideEncryption: { enabled: true },
    };
    this.idempotency = new DynamodbTable(this, "idempotency", {
      ...common,
      name: `${props.prefix}-idempotency`,
      hashKey: IDEMPOTENCY_KEY,
      attribute: [{ name: IDEMPOTENCY_KEY, type: "S" }],
      ttl: { attributeName: IDEMPOTENCY_EXPIRY_ATTRIBUTE, enabled: true },
    });
    this.archive = new DynamodbTable(this, "archive", {
      ...common,
      name: `${props.prefix}-archive`,
      hashKey: ARCHIVE_KEY,
      attribute: [ARCHIVE_KEY, ...indexes.map((index) => index.hashKey), ARCHIVE_SORT_KEY].map((name) => ({
        name,
        type: "S",
      })),
      globalSecondaryIndex: indexes.map((index) => ({
        name: index.name,
        hashKey: index.hashKey,
        rangeKey: ARCHIVE_SORT_KEY,
        projectionType: "INCLUDE",
        nonKeyAttributes: archiveIndexProjection(index),
      })),
      ttl: { attributeName: ARCHIVE_EXPIRY_ATTRIBUTE, enabled: true },
    });
  }
}
