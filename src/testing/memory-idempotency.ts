import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
} from "@aws-lambda-powertools/idempotency";
import { BasePersistenceLayer, type IdempotencyRecord } from "@aws-lambda-powertools/idempotency/persistence";

/**
 * Powertools idempotency records in a `Map`: the consumer framework runs exactly as with its
 * DynamoDB table (same keys, same expiry rules, duplicates skipped), with no table to start.
 * One store per test kit; `clear()` forgets everything.
 *
 * @example
 * const store = new MemoryIdempotencyStore();
 * createConsumerHandler(consumer, { ddb, idempotencyTable: "unused", idempotencyStore: store });
 * store.size // records written so far
 */
export class MemoryIdempotencyStore extends BasePersistenceLayer {
  private readonly records = new Map<string, IdempotencyRecord>();

  /** How many records are held (completed or in progress). */
  get size(): number {
    return this.records.size;
  }

  clear(): void {
    this.records.clear();
  }

  protected override async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const record = this.records.get(idempotencyKey);
    if (!record) throw new IdempotencyItemNotFoundError("Item does not exist in persistence store");
    return record;
  }

  protected override async _putRecord(record: IdempotencyRecord): Promise<void> {
    const existing = this.records.get(record.idempotencyKey);
    if (existing && !existing.isExpired()) {
      const inProgress =
        existing.getStatus() === IdempotencyRecordStatus.INPROGRESS &&
        (existing.inProgressExpiryTimestamp ?? 0) > Date.now();
      if (existing.getStatus() === IdempotencyRecordStatus.COMPLETED || inProgress) {
        throw new IdempotencyItemAlreadyExistsError(
          `Failed to put record for already existing idempotency key: ${record.idempotencyKey}`,
          existing,
        );
      }
    }
    this.records.set(record.idempotencyKey, record);
  }

  protected override async _updateRecord(record: IdempotencyRecord): Promise<void> {
    this.records.set(record.idempotencyKey, record);
  }

  protected override async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    this.records.delete(record.idempotencyKey);
  }
}
