import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { ARCHIVE_INDEXES, ARCHIVE_KEY, ARCHIVE_SORT_KEY } from "../contract/tables";
import { CodedError } from "../shared/errors";
import { compileFilter } from "./filter";

/**
 * What an archived event is listed by, without its payload: the attributes every index projects
 * (besides the keys), read by listings and kept beside the event in {@link ArchivedEvent}.
 */
export interface ArchivedAttributes {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  receivedat: string;
  /** `YYYY-MM-DD` of `receivedat` (UTC): the `by-day` index's key. */
  day: string;
}

/** One archived event without its payload: what a listing shows. */
export interface ArchiveSummary extends ArchivedAttributes {
  /** Resumes a listing right after this item (opaque). */
  cursor: string;
}

export interface SummaryQuery {
  /** Exact type, or a pattern with `*`. */
  type?: string;
  /** Exact source, or a pattern with `*`. */
  source?: string;
  /** A further test on each summary (e.g. the provider), applied before counting. */
  where?: (summary: ArchivedAttributes) => boolean;
  /** From a previous page's `next` or an item's `cursor`; absent: the newest first. */
  cursor?: string;
  /** Default 50, at most 500. */
  limit?: number;
  /** Items read from DynamoDB at most for one page (default 2000): a sparse filter answers a short page and a cursor, never a long scan. */
  maxScan?: number;
}

export interface SummaryPage {
  items: ArchiveSummary[];
  /** Absent when the listing is complete. */
  next?: string;
}

interface Position {
  /** The index's hash value (a day for `by-day`). */
  h: string;
  /** The last item read (its key in the index), absent at the start of `h`. */
  k?: Record<string, string>;
}

type ArchiveIndex = (typeof ARCHIVE_INDEXES)[keyof typeof ARCHIVE_INDEXES];

const DAY_MS = 24 * 60 * 60 * 1000;
/** Every attribute of {@link ArchivedAttributes}, the projection a listing reads (checked below). */
const SUMMARY_ATTRIBUTES = [
  "id",
  "type",
  "source",
  "subject",
  "time",
  "receivedat",
  "day",
] as const satisfies readonly (keyof ArchivedAttributes)[];
// A compile error here names an attribute of ArchivedAttributes that listings would not read.
const _everySummaryAttribute: Record<
  Exclude<keyof ArchivedAttributes, (typeof SUMMARY_ATTRIBUTES)[number]>,
  never
> = {};

/**
 * Lists archive summaries newest first, one page at a time, reading only the summary attributes
 * (never the payloads) from the index that fits the query: `by-type` for an exact type, `by-source`
 * for an exact source, otherwise `by-day`, one day after another back to `recentDays`. The cursor is
 * the DynamoDB `ExclusiveStartKey` of the last item returned (and the day), base64url-encoded, so a
 * page costs the same with 100 or 100,000 events in the table.
 *
 * @example
 * const first = await listArchiveSummaries(doc, "archive", { type: "com.github.push", limit: 20 }, options);
 * const second = await listArchiveSummaries(doc, "archive", { type: "com.github.push", cursor: first.next }, options);
 */
export async function listArchiveSummaries(
  doc: DynamoDBDocumentClient,
  tableName: string,
  query: SummaryQuery,
  options: { recentDays: number; now: () => number },
): Promise<SummaryPage> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 50)), 500);
  const plan = indexFor(query, options);
  const matches = compileFilter("archive-summaries", {
    types: query.type ? [query.type] : undefined,
    sources: query.source ? [query.source] : undefined,
  });
  const keep = (s: ArchivedAttributes) => matches(s) && (query.where?.(s) ?? true);
  let position: Position | undefined = query.cursor ? decodeCursor(query.cursor) : { h: plan.first };
  const items: ArchiveSummary[] = [];
  let budget = query.maxScan ?? 2000;
  while (position && items.length < limit && budget > 0) {
    const read = await readPage(doc, tableName, plan.index, position, Math.min(budget, 100));
    budget -= read.items.length;
    for (const item of read.items) {
      position = { h: position.h, k: keyOf(item, plan.index) };
      if (keep(item)) items.push({ ...item, cursor: encodeCursor(position) });
      if (items.length >= limit) break;
    }
    if (items.length >= limit) break;
    if (read.last) position = { h: position.h, k: read.last };
    else position = plan.after(position.h);
  }
  return position ? { items, next: encodeCursor(position) } : { items };
}

/**
 * The index to read and the days it walks, newest first: the archive has one index (`by-day`,
 * projecting the summary), so an exact type or source is a filter over the days, like a pattern.
 */
function indexFor(_query: SummaryQuery, options: { recentDays: number; now: () => number }) {
  const today = new Date(options.now()).toISOString().slice(0, 10);
  const oldest = Date.parse(`${today}T00:00:00Z`) - (options.recentDays - 1) * DAY_MS;
  const after = (day: string): Position | undefined => {
    const previous = Date.parse(`${day}T00:00:00Z`) - DAY_MS;
    return previous < oldest ? undefined : { h: new Date(previous).toISOString().slice(0, 10) };
  };
  return { index: ARCHIVE_INDEXES.byDay as ArchiveIndex, first: today, after };
}

async function readPage(
  doc: DynamoDBDocumentClient,
  tableName: string,
  index: ArchiveIndex,
  position: Position,
  limit: number,
): Promise<{ items: ArchivedAttributes[]; last?: Record<string, string> }> {
  const names = Object.fromEntries(SUMMARY_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
  const output = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: "#h = :h",
      ExpressionAttributeNames: { ...names, "#h": index.hashKey },
      ExpressionAttributeValues: { ":h": position.h },
      ProjectionExpression: Object.keys(names).join(", "),
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: position.k as QueryCommandInput["ExclusiveStartKey"],
    }),
  );
  return {
    items: (output.Items ?? []) as ArchivedAttributes[],
    last: output.LastEvaluatedKey as Record<string, string> | undefined,
  };
}

/** An item's key in an index: the table key, the index's hash key and its range key. */
function keyOf(item: ArchivedAttributes, index: ArchiveIndex): Record<string, string> {
  const record = item as unknown as Record<string, string>;
  return {
    [ARCHIVE_KEY]: record[ARCHIVE_KEY]!,
    [index.hashKey]: record[index.hashKey]!,
    [ARCHIVE_SORT_KEY]: record[ARCHIVE_SORT_KEY]!,
  };
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** Thrown for a cursor this listing did not write. */
export class InvalidCursorError extends CodedError {
  constructor() {
    super("invalid_cursor", "The cursor was not written by this listing");
  }
}

function decodeCursor(cursor: string): Position {
  try {
    const position = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Position;
    if (typeof position.h !== "string") throw new InvalidCursorError();
    return position;
  } catch {
    throw new InvalidCursorError();
  }
}
