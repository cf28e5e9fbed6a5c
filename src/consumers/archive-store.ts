import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";
import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { type GatewayEvent, REPROCESS_EXTENSION } from "../contract/event";
import { ARCHIVE_RETENTION_DAYS } from "../contract/limits";
import {
  ARCHIVE_EXPIRY_ATTRIBUTE,
  ARCHIVE_FAILURES_ATTRIBUTE,
  ARCHIVE_INDEXES,
  ARCHIVE_KEY,
  ARCHIVE_SORT_KEY,
} from "../contract/tables";
import {
  type ArchivedAttributes,
  listArchiveSummaries,
  type SummaryPage,
  type SummaryQuery,
} from "./archive-summaries";
import type { FailureDetails } from "./errors";
import { compileFilter } from "./filter";

export { processingState } from "./processing-state";

/** One archived event, as read back: the attributes used by the indexes and the event. */
export interface ArchivedEvent extends ArchivedAttributes {
  /** The event; for one too large for an item, the envelope without `data` (see `truncated`). */
  event: GatewayEvent;
  /** The S3 claim check holding the full event, when it came through one. */
  dataref?: string;
  /** The stored `event` lacks its `data` (too large for a DynamoDB item, even compressed). */
  truncated?: boolean;
  /** When DynamoDB's TTL deletes the item (epoch seconds); absent on items archived before it was written. */
  expiresat?: number;
  /** The last failure of each consumer that failed the event (kept after a later success). */
  failures?: Record<string, ArchivedFailure>;
  /** Reprocessing runs that sent the event again (`archive replay --reprocess`). */
  reprocess?: { count: number; lastRun: string; lastConsumer: string; lastAt: string };
}

/** A consumer's failure with an event: the listener's own error, and the attempt it ended. */
export interface ArchivedFailure extends FailureDetails {
  /** The SQS receive count of the attempt (the last one before the DLQ when it is dead-lettered). */
  attempt: number;
  at: string;
}

export interface ListEventsQuery {
  /** Exact type, or a pattern with `*` (then matched over the recent days). */
  type?: string;
  /** Exact source, or a pattern with `*`. */
  source?: string;
  /** Inclusive lower bound on `receivedat` (ISO 8601). */
  from?: string;
  /** Inclusive upper bound on `receivedat` (ISO 8601). */
  to?: string;
  /** Default 50, at most 1000. */
  limit?: number;
}

export interface ArchiveStoreOptions {
  /** Without `from`, listings look this many days back (default: `retentionDays`, what the archive keeps). */
  recentDays?: number;
  /** Days an event is kept: `expiresat` is `receivedat` plus this (default `ARCHIVE_RETENTION_DAYS`, 30). */
  retentionDays?: number;
  now?: () => number;
}

type ArchiveIndex = (typeof ARCHIVE_INDEXES)[keyof typeof ARCHIVE_INDEXES];
/** An index item: the keys and the projected summary attributes. */
type IndexItem = Pick<ArchivedEvent, "id" | "type" | "source">;

/** The stored item's compressed event (Binary) and how it is compressed. */
const PAYLOAD = "payload";
const ENCODING = "encoding";
/** Brotli at quality 5: ~7× smaller than the JSON of a GitHub delivery for ~0.4 ms of CPU (quality 11 is 30× slower for 8% less). */
const BROTLI = "br";
const BROTLI_QUALITY = 5;
// DynamoDB items are limited to 400 KB; keep room for the other attributes.
const MAX_PAYLOAD_BYTES = 350 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
/** BatchGetItem's limit. */
const BATCH_GET_KEYS = 100;

/**
 * The event store: one item per event id, first write wins, queryable newest first by day and
 * filtered by type and source (one index: `ARCHIVE_INDEXES`), each item expiring `retentionDays`
 * after it was received (TTL). The event is stored
 * brotli-compressed in a Binary attribute (a GitHub delivery of ~10 KB takes ~1.5 KB, two write
 * units instead of eleven); the index projects only the summary attributes, and a listing reads
 * the full items by id for the events it returns. The archive consumer writes it; the local
 * runtime's inspector and `archive replay` read it.
 *
 * @example
 * const archive = new ArchiveStore(ddb, "archive");
 * await archive.put(event);                                      // true: written; false: already there
 * await archive.listEvents({ type: "com.github.push", limit: 10 }); // newest first
 * await archive.getEvent("github:72d3162e-cc78-11e3-81ab-4c9367dc0958");
 */
export class ArchiveStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly recentDays: number;
  private readonly retentionSeconds: number;
  private readonly now: () => number;

  constructor(
    ddb: DynamoDBClient,
    private readonly tableName: string,
    options: ArchiveStoreOptions = {},
  ) {
    this.doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
    this.recentDays = options.recentDays ?? options.retentionDays ?? ARCHIVE_RETENTION_DAYS;
    this.retentionSeconds = (options.retentionDays ?? ARCHIVE_RETENTION_DAYS) * 86_400;
    this.now = options.now ?? Date.now;
  }

  /**
   * Archives an event unless its id is already archived: a conditional put
   * (`attribute_not_exists(id)`), which makes the archive idempotent by itself.
   */
  async put(given: GatewayEvent, options: { dataref?: string } = {}): Promise<boolean> {
    // A reprocessing run belongs to one delivery to one consumer, not to the event: were it
    // archived, every later replay would carry it and run again where it was done.
    const event = withoutRun(given);
    const receivedat =
      typeof event.receivedat === "string" ? event.receivedat : new Date(this.now()).toISOString();
    const attributes: Record<string, unknown> = {
      id: event.id,
      type: event.type,
      source: event.source,
      subject: event.subject,
      time: event.time,
      receivedat,
    };
    const item = {
      ...attributes,
      day: receivedat.slice(0, 10),
      ...compressEvent(event, attributes),
      dataref: options.dataref ?? event.dataref,
      [ARCHIVE_EXPIRY_ATTRIBUTE]: this.expiry(receivedat),
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: `attribute_not_exists(${ARCHIVE_KEY})`,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Records a consumer's failure on an archived event (its last one: a later failure replaces it).
   * An event not archived (yet) gets nothing: an item without its event would never expire, and
   * the next attempt's failure is recorded once the archive consumer has stored the event.
   * Returns whether it was recorded.
   *
   * @example
   * await archive.recordFailure("github:72d3…", "github", { ...describeFailure(error), attempt: 2, at: new Date().toISOString() });
   */
  async recordFailure(eventId: string, consumer: string, failure: ArchivedFailure): Promise<boolean> {
    const names = { "#f": ARCHIVE_FAILURES_ATTRIBUTE, "#c": consumer, "#event": ARCHIVE_KEY };
    const intoMap = new UpdateCommand({
      TableName: this.tableName,
      Key: { id: eventId },
      UpdateExpression: "SET #f.#c = :failure",
      ConditionExpression: "attribute_exists(#event) AND attribute_exists(#f)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ":failure": failure },
    });
    const newMap = new UpdateCommand({
      TableName: this.tableName,
      Key: { id: eventId },
      UpdateExpression: "SET #f = :failures",
      ConditionExpression: "attribute_exists(#event) AND attribute_not_exists(#f)",
      ExpressionAttributeNames: { "#f": ARCHIVE_FAILURES_ATTRIBUTE, "#event": ARCHIVE_KEY },
      ExpressionAttributeValues: { ":failures": { [consumer]: failure } },
    });
    for (const command of [intoMap, newMap, intoMap]) {
      try {
        await this.doc.send(command);
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return false;
  }

  /**
   * Counts a reprocessing run on an archived event (nothing when the event is not archived).
   *
   * @example
   * await archive.recordReprocess("github:72d3…", { run: "r1a2b3", consumer: "github" });
   */
  async recordReprocess(eventId: string, run: { run: string; consumer: string }): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: eventId },
          UpdateExpression:
            "SET #r.lastRun = :run, #r.lastConsumer = :consumer, #r.lastAt = :at, #r.#n = #r.#n + :one",
          ConditionExpression: "attribute_exists(#event) AND attribute_exists(#r)",
          ExpressionAttributeNames: { "#r": "reprocess", "#n": "count", "#event": ARCHIVE_KEY },
          ExpressionAttributeValues: {
            ":run": run.run,
            ":consumer": run.consumer,
            ":at": new Date(this.now()).toISOString(),
            ":one": 1,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.firstReprocess(eventId, run);
    }
  }

  private async firstReprocess(eventId: string, run: { run: string; consumer: string }): Promise<void> {
    const at = new Date(this.now()).toISOString();
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: eventId },
          UpdateExpression: "SET #r = :reprocess",
          ConditionExpression: "attribute_exists(#event) AND attribute_not_exists(#r)",
          ExpressionAttributeNames: { "#r": "reprocess", "#event": ARCHIVE_KEY },
          ExpressionAttributeValues: {
            ":reprocess": { count: 1, lastRun: run.run, lastConsumer: run.consumer, lastAt: at },
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async getEvent(id: string): Promise<ArchivedEvent | undefined> {
    const output = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { [ARCHIVE_KEY]: id }, ConsistentRead: true }),
    );
    return output.Item ? fromItem(output.Item) : undefined;
  }

  /** Archived events, newest first, from the index that fits the query. */
  async listEvents(query: ListEventsQuery = {}): Promise<ArchivedEvent[]> {
    return this.fetchEvents(await this.listIndexItems(query));
  }

  /**
   * Every matching archived event, oldest first, read a page at a time: the query's `limit` is
   * ignored, so a replay can go through any number of events without holding them in memory.
   *
   * @example
   * for await (const item of archive.eventsOldestFirst({ type: "com.github.push" })) send(item.event);
   */
  async *eventsOldestFirst(query: Omit<ListEventsQuery, "limit"> = {}): AsyncGenerator<ArchivedEvent> {
    const { index, hashValues, range, matches } = this.plan(query);
    for (const hashValue of [...hashValues].reverse()) {
      for await (const page of this.indexPages(index, hashValue, range, { oldestFirst: true })) {
        yield* await this.fetchEvents(page.filter(matches));
      }
    }
  }

  /** The index to read, its hash key values (the days, newest first), the range and the filter of a query. */
  private plan(query: Omit<ListEventsQuery, "limit">) {
    const matches = compileFilter("archive-query", {
      types: query.type ? [query.type] : undefined,
      sources: query.source ? [query.source] : undefined,
    });
    const to = query.to ?? new Date(this.now()).toISOString();
    const from = query.from ?? new Date(Date.parse(to) - (this.recentDays - 1) * DAY_MS).toISOString();
    return {
      index: ARCHIVE_INDEXES.byDay,
      hashValues: daysDescending(from, to),
      range: { from, to },
      matches,
    };
  }

  /**
   * The index items under one hash key within the range, a page at a time, in `receivedat` order
   * (oldest first, or newest first); `pageSize` is asked before each page.
   */
  private async *indexPages(
    index: ArchiveIndex,
    hashValue: string,
    range: Pick<ListEventsQuery, "from" | "to">,
    order: { oldestFirst: boolean; pageSize?: () => number },
  ): AsyncGenerator<IndexItem[]> {
    const { condition, names, values } = keyCondition(index, hashValue, range);
    let start: QueryCommandInput["ExclusiveStartKey"];
    do {
      const output = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: order.oldestFirst,
          Limit: order.pageSize?.(),
          ExclusiveStartKey: start,
        }),
      );
      yield (output.Items ?? []) as IndexItem[];
      start = output.LastEvaluatedKey;
    } while (start);
  }

  /** The index items (keys and summary) of the events a query returns, newest first. */
  private async listIndexItems(query: ListEventsQuery): Promise<IndexItem[]> {
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 50)), 1000);
    const { index, hashValues, range, matches } = this.plan(query);
    const items: IndexItem[] = [];
    for (const day of hashValues) {
      const remaining = limit - items.length;
      if (remaining <= 0) break;
      items.push(...(await this.queryIndex(index, day, range, remaining, matches)));
    }
    return items;
  }

  /** Summaries without payloads, newest first, a page at a time (see {@link listArchiveSummaries}). */
  listSummaries(query: SummaryQuery = {}): Promise<SummaryPage> {
    const options = { recentDays: this.recentDays, now: this.now };
    return listArchiveSummaries(this.doc, this.tableName, query, options);
  }

  private async queryIndex(
    index: ArchiveIndex,
    hashValue: string,
    range: Pick<ListEventsQuery, "from" | "to">,
    limit: number,
    matches: (event: { type: string; source: string }) => boolean,
  ): Promise<IndexItem[]> {
    const items: IndexItem[] = [];
    const pageSize = () => Math.max(limit - items.length, 25);
    for await (const page of this.indexPages(index, hashValue, range, { oldestFirst: false, pageSize })) {
      for (const item of page) {
        if (matches(item)) items.push(item);
        if (items.length >= limit) return items;
      }
    }
    return items;
  }

  /** The full items of index entries, in their order (BatchGetItem, 100 keys at a time). */
  private async fetchEvents(entries: readonly IndexItem[]): Promise<ArchivedEvent[]> {
    const found = new Map<string, ArchivedEvent>();
    for (let i = 0; i < entries.length; i += BATCH_GET_KEYS) {
      let keys: Record<string, unknown>[] | undefined = entries
        .slice(i, i + BATCH_GET_KEYS)
        .map((entry) => ({ [ARCHIVE_KEY]: entry.id }));
      for (let attempt = 0; keys && keys.length > 0; attempt++) {
        // Unprocessed keys (throttling) are asked again after a short, growing pause.
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const output: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        for (const item of output.Responses?.[this.tableName] ?? []) {
          const event = fromItem(item);
          found.set(event.id, event);
        }
        keys = output.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    // An item expired (TTL) between the query and the read is left out.
    return entries.flatMap((entry) => found.get(entry.id) ?? []);
  }

  private expiry(receivedat: string): number {
    const received = Date.parse(receivedat);
    const base = Number.isNaN(received) ? this.now() : received;
    return Math.floor(base / 1000) + this.retentionSeconds;
  }
}

/**
 * The envelope attributes the item also holds as attributes of its own: in the compressed JSON
 * each is written as `0` (its place kept, so the event reads back with its keys in order) and
 * restored from the item on read (~64 bytes less per GitHub delivery).
 */
const ITEM_ATTRIBUTES = ["id", "type", "source", "subject", "time", "receivedat"] as const;

/** The stored form of an event: brotli of its JSON, or of its envelope when even that is too large. */
function compressEvent(
  event: GatewayEvent,
  item: Record<string, unknown>,
): { payload: Uint8Array; encoding: string; truncated?: true } {
  const payload = brotli(storedJson(event, item));
  if (payload.byteLength <= MAX_PAYLOAD_BYTES) return { payload, encoding: BROTLI };
  const { data: _data, ...envelope } = event;
  return { payload: brotli(storedJson(envelope, item)), encoding: BROTLI, truncated: true };
}

/** The event's JSON with the envelope attributes the item holds (same value) written as `0`. */
function storedJson(event: Partial<GatewayEvent>, item: Record<string, unknown>): string {
  const top = event as Record<string, unknown>;
  return JSON.stringify(event, function (this: unknown, key, value) {
    return this === top && (ITEM_ATTRIBUTES as readonly string[]).includes(key) && item[key] === value
      ? 0
      : value;
  });
}

/** Puts back the envelope attributes a stored JSON holds as `0` (items archived before hold them whole). */
function restoreAttributes(event: Record<string, unknown>, item: Record<string, unknown>): GatewayEvent {
  for (const key of ITEM_ATTRIBUTES) if (event[key] === 0) event[key] = item[key];
  return event as GatewayEvent;
}

function brotli(json: string): Uint8Array {
  const input = Buffer.from(json);
  return brotliCompressSync(input, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: input.byteLength,
    },
  });
}

/**
 * The event without its reprocessing run (`REPROCESS_EXTENSION`), the same object when it has none.
 *
 * @example
 * withoutRun({ ...event, reprocess: "r1a2b3" }).reprocess // undefined
 */
export function withoutRun<T extends GatewayEvent>(event: T): T {
  if (!(REPROCESS_EXTENSION in event)) return event;
  const { [REPROCESS_EXTENSION]: _run, ...rest } = event;
  return rest as T;
}

/** The event of a stored item: compressed (`payload`), or the JSON string of items archived before. */
function fromItem(item: Record<string, unknown>): ArchivedEvent {
  const { [PAYLOAD]: payload, [ENCODING]: encoding, event, ...attributes } = item;
  let json: string;
  if (payload instanceof Uint8Array) {
    if (encoding !== BROTLI) throw new Error(`archived event ${String(item.id)} has an unknown encoding`);
    json = brotliDecompressSync(payload).toString("utf8");
  } else {
    json = event as string;
  }
  return {
    ...(attributes as Omit<ArchivedEvent, "event">),
    event: restoreAttributes(JSON.parse(json) as Record<string, unknown>, item),
  };
}

function keyCondition(index: ArchiveIndex, hashValue: string, range: Pick<ListEventsQuery, "from" | "to">) {
  const names: Record<string, string> = { "#h": index.hashKey };
  const values: Record<string, string> = { ":h": hashValue };
  let condition = "#h = :h";
  if (range.from !== undefined || range.to !== undefined) names["#r"] = ARCHIVE_SORT_KEY;
  if (range.from !== undefined && range.to !== undefined) {
    condition += " AND #r BETWEEN :from AND :to";
    Object.assign(values, { ":from": range.from, ":to": range.to });
  } else if (range.from !== undefined) {
    condition += " AND #r >= :from";
    values[":from"] = range.from;
  } else if (range.to !== undefined) {
    condition += " AND #r <= :to";
    values[":to"] = range.to;
  }
  return { condition, names, values };
}

/** `YYYY-MM-DD` days from `to` back to `from`, both included. */
function daysDescending(from: string, to: string): string[] {
  const first = Date.parse(`${from.slice(0, 10)}T00:00:00Z`);
  const days: string[] = [];
  for (let day = Date.parse(`${to.slice(0, 10)}T00:00:00Z`); day >= first; day -= DAY_MS) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}
