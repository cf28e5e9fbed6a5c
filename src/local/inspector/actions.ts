import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ArchiveStore } from "../../consumers";
import {
  archivedEventMessage,
  normalizedEventMessage,
  type QueueMessage,
  sendMessageInput,
} from "../../consumers/queue-message";
import { reprocessRunId } from "../../contract/event";
import type { Fixture } from "../../fixtures/fixture";
import { type SignedRequest, type SigningSecrets, signFixture } from "../../fixtures/sign";
import { CodedError } from "../../shared/errors";
import type { LocalQueue } from "../resources";
import { deliveryFixture, NotReplayableError, typeName } from "./delivery-request";
import type { Journal } from "./journal";

/**
 * Runs one consumer once more on one event, in a reprocessing run of its own (the mechanism of
 * `archive replay --reprocess`): {@link createReprocessor}.
 */
export interface Reprocessor {
  /** `counted`: the archive recorded the run (false when that write failed after the send). */
  reprocess(eventId: string, consumer: string): Promise<{ run: string; counted: boolean }>;
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
 * The inspector's reprocess, by the mechanism of `archive replay --reprocess`: a new run id
 * ({@link reprocessRunId}), the event sent to that consumer's queue only, as the edge would have
 * queued it ({@link archivedEventMessage}: JSON body or claim check, message attributes, FIFO group)
 * with the run in its `reprocess` extension, and the run counted on the archived event. The
 * consumer's idempotency is keyed on the event id and the run, so that consumer runs it exactly
 * once more (an SQS duplicate of the run is still skipped), no other consumer runs, and the
 * original idempotency record stays as it was. An event not archived (yet) is rebuilt from memory.
 *
 * @example
 * await createReprocessor({ sqs, queues, source }).reprocess("github:72d3…", "github"); // { run: "rmbx3k2a9f04c1", counted: true }
 */
export function createReprocessor(deps: {
  sqs: SQSClient;
  queues: readonly LocalQueue[];
  source: DeliverySource;
}): Reprocessor {
  return {
    async reprocess(eventId, consumer) {
      const queue = deps.queues.find((q) => q.consumer.name === consumer);
      if (!queue) throw new ActionTargetNotFoundError(`consumer ${consumer}`);
      const run = reprocessRunId();
      const message = await queueMessage(deps.source, eventId, run);
      await deps.sqs.send(
        new SendMessageCommand(sendMessageInput(message, { url: queue.url, fifo: queue.consumer.fifo })),
      );
      // The run is queued: a failed count must not read as a failed reprocess (clicked again, it
      // would run twice more).
      const counted = await deps.source.archive.recordReprocess(eventId, { run, consumer }).then(
        () => true,
        () => false,
      );
      return { run, counted };
    },
  };
}

/** The message the edge would have queued for an event, from the archive or else from memory. */
async function queueMessage(source: DeliverySource, eventId: string, run: string): Promise<QueueMessage> {
  const archived = await source.archive.getEvent(eventId);
  const fromArchive = archived && archivedEventMessage(archived, run);
  if (fromArchive) return fromArchive;
  const entry = source.journal.acceptedEntry(eventId);
  if (entry?.attributes && entry.dataJson !== undefined)
    return normalizedEventMessage({ attributes: entry.attributes, dataJson: entry.dataJson }, run);
  if (!archived && !entry) throw new ActionTargetNotFoundError(`event ${eventId}`);
  throw new NotReplayableError(eventId, "neither the archive nor memory holds its payload");
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
