import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DeleteItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type ArchivedEvent, type ArchiveStore, idempotencyKey } from "../../consumers";
import { type GatewayEvent, serializeClaimCheck, serializeEvent, sqsSafe } from "../../contract/event";
import { eventGroupKey, fifoMessageIds } from "../../contract/fifo";
import { IDEMPOTENCY_KEY } from "../../contract/tables";
import { messageAttributes } from "../../edge/adapters/sqs-queue";
import type { Fixture } from "../../fixtures/fixture";
import { type SignedRequest, type SigningSecrets, signFixture } from "../../fixtures/sign";
import { CodedError } from "../../shared/errors";
import type { LocalQueue } from "../resources";
import { deliveryFixture, NotReplayableError, typeName } from "./delivery-request";
import type { Journal } from "./journal";

/**
 * Runs one consumer once more on one event, past its idempotency record. The inspector's own
 * implementation is {@link createReprocessor}; `archive replay --reprocess` may replace it.
 */
export interface Reprocessor {
  reprocess(eventId: string, consumer: string): Promise<void>;
}

/**
 * Saves a delivery as a fixture file. The inspector's own implementation is
 * {@link createFixtureSaver}; the shared `fixtures record` writer may replace it.
 */
export interface FixtureSaver {
  saveFixture(eventId: string): Promise<{ path: string }>;
}

/** The event or consumer an action names does not exist. */
export class ActionTargetNotFoundError extends CodedError {
  constructor(what: string) {
    super("not_found", `${what} not found`);
  }
}

/** What the replay, curl and fixture actions read a delivery from. */
export interface DeliverySource {
  journal: Journal;
  archive: ArchiveStore;
}

/** The delivery's request as a fixture: from memory, or rebuilt from the archive. */
export async function fixtureOf(source: DeliverySource, eventId: string): Promise<Fixture> {
  const entry = source.journal.acceptedEntry(eventId);
  const archived =
    entry?.request && !entry.request.dropped ? undefined : await source.archive.getEvent(eventId);
  if (!entry && !archived) throw new ActionTargetNotFoundError(`event ${eventId}`);
  return deliveryFixture(eventId, entry, archived);
}

/**
 * Sends a delivery through the edge again, signed now with the running secret: same body, same
 * delivery id, so consumers skip it as a duplicate.
 *
 * @example
 * await replayDelivery(source, "github:72d3…", "http://127.0.0.1:3000", { github: secret }) // { status: 202, body: '{"id":…}' }
 */
export async function replayDelivery(
  source: DeliverySource,
  eventId: string,
  baseUrl: string,
  secrets: SigningSecrets,
): Promise<{ status: number; body: string }> {
  const request = signFixture(await fixtureOf(source, eventId), secrets, Date.now());
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: new Uint8Array(request.body),
  });
  return { status: response.status, body: await response.text() };
}

/**
 * The delivery as a `curl` command, signed now with the running secret (a Slack signature is
 * refused after 5 minutes). The body is passed byte for byte.
 *
 * @example
 * await curlCommand(source, "github:72d3…", "http://127.0.0.1:3000", secrets) // "curl -sS -X POST 'http://…/github' \\\n  -H …"
 */
export async function curlCommand(
  source: DeliverySource,
  eventId: string,
  baseUrl: string,
  secrets: SigningSecrets,
): Promise<string> {
  const fixture = await fixtureOf(source, eventId);
  return curlOf(
    signFixture(fixture, secrets, Date.now()),
    baseUrl,
    fixture.request.bodyEncoding === "base64",
  );
}

/** A signed request as a shell command (single quotes, so nothing in the body is expanded). */
export function curlOf(request: SignedRequest, baseUrl: string, binary: boolean): string {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const headers = Object.entries(request.headers).map(
    ([name, value]) => `  -H ${quote(`${name}: ${value}`)}`,
  );
  const body = binary
    ? `  --data-binary @<(printf %s ${quote(request.body.toString("base64"))} | base64 -d)`
    : `  --data-binary ${quote(request.body.toString("utf8"))}`;
  return [`curl -sS -X ${request.method} ${quote(`${baseUrl}${request.path}`)}`, ...headers, body].join(
    " \\\n",
  );
}

/**
 * The inspector's reprocess: deletes the consumer's idempotency record for the event, then sends
 * the event to that consumer's queue only (as the edge would: JSON body or claim check, message
 * attributes, FIFO group), so that consumer runs it exactly once more and no other does.
 *
 * @example
 * await createReprocessor({ ddb, sqs, idempotencyTable, queues, source }).reprocess("github:72d3…", "github");
 */
export function createReprocessor(deps: {
  ddb: DynamoDBClient;
  sqs: SQSClient;
  idempotencyTable: string;
  queues: readonly LocalQueue[];
  source: DeliverySource;
}): Reprocessor {
  return {
    async reprocess(eventId, consumer) {
      const queue = deps.queues.find((q) => q.consumer.name === consumer);
      if (!queue) throw new ActionTargetNotFoundError(`consumer ${consumer}`);
      const body = await queueBody(deps.source, eventId);
      await deps.ddb.send(
        new DeleteItemCommand({
          TableName: deps.idempotencyTable,
          Key: { [IDEMPOTENCY_KEY]: { S: idempotencyKey(consumer, eventId) } },
        }),
      );
      await deps.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: body.text,
          MessageAttributes: messageAttributes({
            attributes: {
              type: body.event.type,
              source: body.event.source,
              provider: String(body.event.provider ?? ""),
            },
          }),
          ...(queue.consumer.fifo && fifoParameters(body.event)),
        }),
      );
    },
  };
}

/** The message body the edge would have queued for an event. */
async function queueBody(
  source: DeliverySource,
  eventId: string,
): Promise<{ text: string; event: GatewayEvent }> {
  const archived: ArchivedEvent | undefined = await source.archive.getEvent(eventId);
  if (archived && !archived.truncated)
    return { text: sqsSafe(JSON.stringify(archived.event)), event: archived.event };
  const dataref = archived?.dataref ?? (archived?.event.dataref as string | undefined);
  if (archived && dataref)
    return { text: serializeClaimCheck(archived.event, dataref), event: archived.event };
  const entry = source.journal.acceptedEntry(eventId);
  if (entry?.attributes && entry.dataJson !== undefined) {
    const text = serializeEvent({ attributes: entry.attributes, dataJson: entry.dataJson });
    return { text, event: entry.attributes };
  }
  if (!archived && !entry) throw new ActionTargetNotFoundError(`event ${eventId}`);
  throw new NotReplayableError(eventId, "neither the archive nor memory holds its payload");
}

function fifoParameters(event: GatewayEvent) {
  const ids = fifoMessageIds(eventGroupKey(event), event.id);
  return { MessageGroupId: ids.groupId, MessageDeduplicationId: ids.deduplicationId };
}

/**
 * The inspector's fixture writer: `fixtures/<provider>/<type>.json` (`.2.json`, … when taken) in
 * the format of `src/fixtures/fixture.ts`, with no signature, no secret, and the edge's answer as
 * the expected status. Never overwrites a file.
 *
 * @example
 * await createFixtureSaver({ dir: "fixtures", source }).saveFixture("github:72d3…") // { path: "fixtures/github/issues.opened.json" }
 */
export function createFixtureSaver(deps: {
  dir: string;
  source: DeliverySource;
  root?: string;
}): FixtureSaver {
  return {
    async saveFixture(eventId) {
      const fixture = await fixtureOf(deps.source, eventId);
      const folder = join(deps.dir, fixture.provider);
      mkdirSync(folder, { recursive: true });
      const base = typeName(fixture.expect.event?.type ?? fixture.provider, fixture.provider);
      let path = join(folder, `${base}.json`);
      for (let n = 2; existsSync(path); n++) path = join(folder, `${base}.${n}.json`);
      const description = `Saved from the inspector: ${eventId}`;
      const content = {
        provider: fixture.provider,
        description,
        request: fixture.request,
        expect: fixture.expect,
      };
      writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`, { flag: "wx" });
      return { path: deps.root ? relative(deps.root, path) : path };
    },
  };
}
