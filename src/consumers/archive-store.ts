import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { GatewayEvent } from "../contract/event";
import { ARCHIVE_INDEXES, ARCHIVE_SORT_KEY } from "../contract/tables";
import { listArchiveSummaries, type SummaryPage, type SummaryQuery } from "./archive-summaries";
import { compileFilter } from "./filter";

export { processingState } from "./processing-state";

/** One archived event, as stored: the attributes used by the indexes and the event's JSON. */
export interface ArchivedEvent {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  receivedat: string;
  /** `YYYY-MM-DD` of `receivedat` (UTC): the `by-day` index's key. */
  day: string;
  /** The event; for one too large for an item, the envelope without `data` (see `truncated`). */
  event: GatewayEvent;
  /** The S3 claim check holding the full event, when it came through one. */
  dataref?: string;
  /** The stored `event` lacks its `data` (too large for a DynamoDB item). */
  truncated?: boolean;
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
  /** Without `from`, unfiltered listings look this many days back (default 30). */
  recentDays?: number;
  now?: () => number;
}

type ArchiveIndex = (typeof ARCHIVE_INDEXES)[keyof typeof ARCHIVE_INDEXES];

// DynamoDB items are limited to 400 KB; keep room for the other attributes.
const MAX_EVENT_JSON_BYTES = 350 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The event store: one item per event id, first write wins, queryable newest first by source,
 * type or day. The archive consumer writes it; the local runtime's inspector reads it.
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
  private readonly now: () => number;

  constructor(
    ddb: DynamoDBClient,
    private readonly tableName: string,
    options: ArchiveStoreOptions = {},
  ) {
    this.doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
    this.recentDays = options.recentDays ?? 30;
    this.now = options.now ?? Date.now;
  }

  /** Archives an event unless its id is already archived (conditional put). */
  async put(event: GatewayEvent, options: { dataref?: string } = {}): Promise<boolean> {
    const receivedat =
      typeof event.receivedat === "string" ? event.receivedat : new Date(this.now()).toISOString();
    let json = JSON.stringify(event);
    let truncated: boolean | undefined;
    if (Buffer.byteLength(json) > MAX_EVENT_JSON_BYTES) {
      const { data: _data, ...envelope } = event;
      json = JSON.stringify(envelope);
      truncated = true;
    }
    const item = {
      id: event.id,
      type: event.type,
      source: event.source,
      subject: event.subject,
      time: event.time,
      receivedat,
      day: receivedat.slice(0, 10),
      event: json,
      dataref: options.dataref ?? event.dataref,
      truncated,
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(id)",
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getEvent(id: string): Promise<ArchivedEvent | undefined> {
    const output = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    return output.Item ? fromItem(output.Item) : undefined;
  }

  /** Archived events, newest first, from the index that fits the query. */
  async listEvents(query: ListEventsQuery = {}): Promise<ArchivedEvent[]> {
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 50)), 1000);
    const exactType = query.type && !query.type.includes("*") ? query.type : undefined;
    const exactSource = query.source && !query.source.includes("*") ? query.source : undefined;
    const matches = compileFilter("archive-query", {
      types: query.type ? [query.type] : undefined,
      sources: query.source ? [query.source] : undefined,
    });
    if (exactType) return this.queryIndex(ARCHIVE_INDEXES.byType, exactType, query, limit, matches);
    if (exactSource) return this.queryIndex(ARCHIVE_INDEXES.bySource, exactSource, query, limit, matches);
    const to = query.to ?? new Date(this.now()).toISOString();
    const from = query.from ?? new Date(Date.parse(to) - (this.recentDays - 1) * DAY_MS).toISOString();
    const events: ArchivedEvent[] = [];
    for (const day of daysDescending(from, to)) {
      const remaining = limit - events.length;
      if (remaining <= 0) break;
      events.push(...(await this.queryIndex(ARCHIVE_INDEXES.byDay, day, { from, to }, remaining, matches)));
    }
    return events;
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
  ): Promise<ArchivedEvent[]> {
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
    const events: ArchivedEvent[] = [];
    let start: QueryCommandInput["ExclusiveStartKey"];
    do {
      const output = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.name,
          KeyConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          Limit: Math.max(limit - events.length, 25),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of output.Items ?? []) {
        const event = fromItem(item);
        if (matches(event)) events.push(event);
        if (events.length >= limit) return events;
      }
      start = output.LastEvaluatedKey;
    } while (start);
    return events;
  }
}

function fromItem(item: Record<string, unknown>): ArchivedEvent {
  const { event, ...attributes } = item as Omit<ArchivedEvent, "event"> & { event: string };
  return { ...attributes, event: JSON.parse(event) as GatewayEvent };
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
