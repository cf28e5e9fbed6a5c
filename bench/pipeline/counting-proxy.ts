/**
 * An HTTP proxy in front of an emulator (fauxqs for SQS, dynalite for DynamoDB) that counts what
 * AWS would bill: requests by action, SQS 64 KB chunks, DynamoDB write and read units from the
 * sizes of the items written and read, GSI writes from the archive's index projections.
 * Sizes follow DynamoDB's rules: attribute name bytes plus value bytes (UTF-8 strings, raw binary,
 * numbers ~1 byte per 2 digits + 1), rounded up per item to 1 KB for writes, 4 KB for reads.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ARCHIVE_INDEXES,
  ARCHIVE_KEY,
  ARCHIVE_SORT_KEY,
  archiveIndexProjection,
} from "../../src/contract/tables";

type AttributeValue = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

export interface Tally {
  /** Requests by `X-Amz-Target` action. */
  requests: Record<string, number>;
  /** SQS requests as billed (each 64 KB of payload counts as one), by action. */
  sqsBilled: Record<string, number>;
  /** ReceiveMessage calls that returned no message (long polls of an idle queue). */
  emptyReceives: number;
  messagesReceived: number;
  /** Write units by table, and by index for the archive. */
  writeUnits: Record<string, number>;
  readUnits: Record<string, number>;
  /** Item sizes written to each table (bytes), for the storage estimate. */
  itemBytes: Record<string, number[]>;
}

/** DynamoDB's size of one attribute value. */
function valueBytes(value: AttributeValue): number {
  const [type, v] = Object.entries(value)[0] ?? ["NULL", true];
  switch (type) {
    case "S":
      return Buffer.byteLength(v as string);
    case "B":
      return Buffer.from(v as string, "base64").length;
    case "N":
      return Math.ceil(String(v).replace(/^-|\.|e.*$/g, "").length / 2) + 1;
    case "BOOL":
    case "NULL":
      return 1;
    case "M":
      return 3 + itemBytes(v as Item) + Object.keys(v as Item).length;
    case "L":
      return 3 + (v as AttributeValue[]).reduce((sum, x) => sum + 1 + valueBytes(x), 0);
    case "SS":
      return (v as string[]).reduce((sum, x) => sum + Buffer.byteLength(x), 0);
    default:
      return Buffer.byteLength(JSON.stringify(v));
  }
}

/**
 * DynamoDB's size of an item: every attribute's name and value.
 *
 * @example
 * itemBytes({ id: { S: "abc" } }) // 5
 */
export function itemBytes(item: Item): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value),
    0,
  );
}

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

function emptyTally(): Tally {
  return {
    requests: {},
    sqsBilled: {},
    emptyReceives: 0,
    messagesReceived: 0,
    writeUnits: {},
    readUnits: {},
    itemBytes: {},
  };
}

const add = (record: Record<string, number>, key: string, n: number) => {
  record[key] = (record[key] ?? 0) + n;
};

/** The archive table's index items: keys plus the projected summary attributes. */
function archiveIndexWrites(item: Item, tally: Tally): void {
  for (const index of Object.values(ARCHIVE_INDEXES)) {
    if (!item[index.hashKey]) continue;
    const names = [ARCHIVE_KEY, index.hashKey, ARCHIVE_SORT_KEY, ...archiveIndexProjection(index)];
    const projected = Object.fromEntries(names.filter((n) => item[n]).map((n) => [n, item[n]!]));
    add(tally.writeUnits, `archive:${index.name}`, writeUnits(itemBytes(projected)));
  }
}

function countDynamo(
  action: string,
  input: Record<string, unknown>,
  output: Record<string, unknown>,
  status: number,
  tally: Tally,
  sizes: Map<string, number>,
) {
  const table = String(input.TableName ?? "");
  const keyOf = (key: unknown) => `${table}:${JSON.stringify(key)}`;
  if (action === "PutItem") {
    const item = input.Item as Item;
    const bytes = itemBytes(item);
    add(tally.writeUnits, table, writeUnits(bytes));
    if (status !== 200) return; // a failed conditional put is billed, but writes no index
    tally.itemBytes[table] ??= [];
    tally.itemBytes[table].push(bytes);
    sizes.set(keyOf(item.id ? { id: item.id } : item), bytes);
    if (table === "archive") archiveIndexWrites(item, tally);
  } else if (action === "UpdateItem" || action === "DeleteItem") {
    const old = sizes.get(keyOf(input.Key)) ?? 0;
    const added = action === "UpdateItem" ? itemBytes((input.ExpressionAttributeValues ?? {}) as Item) : 0;
    add(tally.writeUnits, table, writeUnits(Math.max(old, old + added)));
  } else if (action === "GetItem") {
    add(
      tally.readUnits,
      table,
      readUnits(output.Item ? itemBytes(output.Item as Item) : 1, input.ConsistentRead === true),
    );
  } else if (action === "Query" || action === "Scan") {
    const bytes = ((output.Items ?? []) as Item[]).reduce((sum, item) => sum + itemBytes(item), 0);
    add(
      tally.readUnits,
      `${table}${input.IndexName ? `:${input.IndexName}` : ""}`,
      readUnits(bytes, input.ConsistentRead === true),
    );
  } else if (action === "BatchGetItem") {
    for (const [name, items] of Object.entries((output.Responses ?? {}) as Record<string, Item[]>)) {
      for (const item of items) add(tally.readUnits, name, readUnits(itemBytes(item), false));
    }
  }
}

function countSqs(
  action: string,
  input: Record<string, unknown>,
  output: Record<string, unknown>,
  requestBytes: number,
  responseBytes: number,
  tally: Tally,
) {
  const chunks = Math.max(1, Math.ceil(Math.max(requestBytes, responseBytes) / 65_536));
  add(tally.sqsBilled, action, chunks);
  if (action === "ReceiveMessage") {
    const messages = ((output.Messages ?? []) as unknown[]).length;
    if (messages === 0) tally.emptyReceives += 1;
    tally.messagesReceived += messages;
  }
  void input;
}

export interface CountingProxy {
  url: string;
  tally(): Tally;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts a counting proxy to `target` (`http://host:port`) for `service`.
 *
 * @example
 * const proxy = await startCountingProxy("dynamodb", "http://127.0.0.1:8000");
 */
export function startCountingProxy(service: "sqs" | "dynamodb", target: string): Promise<CountingProxy> {
  let tally = emptyTally();
  const sizes = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const forward = request(
        `${target}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (answer) => {
          const out: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => out.push(chunk));
          answer.on("end", () => {
            const response = Buffer.concat(out);
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(response);
            const action =
              String(req.headers["x-amz-target"] ?? "")
                .split(".")
                .pop() ?? "";
            if (!action) return;
            add(tally.requests, action, 1);
            const parse = (b: Buffer) =>
              b.length ? (JSON.parse(b.toString("utf8")) as Record<string, unknown>) : {};
            const input = parse(body);
            const output = answer.statusCode === 200 ? parse(response) : {};
            if (service === "dynamodb")
              countDynamo(action, input, output, answer.statusCode ?? 500, tally, sizes);
            else countSqs(action, input, output, body.length, response.length, tally);
          });
        },
      );
      forward.on("error", (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        tally: () => tally,
        reset: () => {
          tally = emptyTally();
        },
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
