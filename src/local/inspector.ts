import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { type ArchiveStore, processingState } from "../consumers";
import type { ConsumerFilter } from "../consumers/types";
import type { SigningSecrets } from "../fixtures/sign";
import type { Counters } from "./counters";
import {
  createFixtureSaver,
  createReprocessor,
  type FixtureSaver,
  type Reprocessor,
} from "./inspector/actions";
import { type ApiDeps, handleApi, sendJson } from "./inspector/api";
import { loadAssets } from "./inspector/assets";
import { consumerDirectory, storedStates } from "./inspector/consumer-states";
import { createDeadLetters, type InspectableDeadLetters } from "./inspector/dead-letters";
import { archivedState } from "./inspector/detail";
import type { Journal } from "./inspector/journal";
import { acceptedRow, eventRow, type RowContext, requestRow } from "./inspector/rows";
import { createStream } from "./inspector/stream";
import type { LocalQueue } from "./resources";

export interface InspectorDeps {
  archive: ArchiveStore;
  ddb: DynamoDBClient;
  idempotencyTable: string;
  consumers: readonly { name: string; filter: ConsumerFilter }[];
  counters: Counters;
  /** Messages waiting, in flight and dead-lettered, per consumer queue. */
  queues: () => Promise<Record<string, { ready: number; inflight: number; deadLettered: number }>>;
  startedAt: number;
  /** What this process saw: requests, outcomes, timings (fed by the ingest tap and the consumers). */
  journal: Journal;
  /** The consumers that run (the others are configured but lack settings). */
  running: ReadonlySet<string>;
  localQueues: readonly LocalQueue[];
  /** The SQS emulator, to look into dead-letter queues without receiving. */
  fauxqs: InspectableDeadLetters;
  sqs: SQSClient;
  /** The first of each provider's running secrets (replay and copy as curl sign with them). */
  secrets: SigningSecrets;
  /** Where "save as fixture" writes (`<root>/fixtures`). */
  fixturesDir: string;
  root: string;
  /** Replaceable; the default reprocesses as `archive replay --reprocess` does (a run of its own). */
  reprocessor?: Reprocessor;
  /** Replaceable by the shared implementation (`fixtures record`). */
  fixtureSaver?: FixtureSaver;
}

export interface Inspector {
  /** Serves the page (`GET /`), its files, its API (`/_/api/…`) and the JSON routes under `/_/`. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends the live streams (call before closing the server). */
  close(): void;
}

/**
 * The inspector: the web page at `/` (live list, detail, actions, counters), its API under
 * `/_/api/`, and the JSON routes `/_/health`, `/_/events` (the archive, newest first,
 * `?type=&source=&limit=`), `/_/events/<id>` and `/_/metrics`. The server checks the `Host`
 * before anything reaches it; actions also check the `Origin` (or the page's token).
 *
 * @example
 * const inspector = createInspector(deps);
 * if (url.pathname === "/" || url.pathname.startsWith("/_/")) return inspector.handle(req, res);
 */
export function createInspector(deps: InspectorDeps): Inspector {
  const token = randomBytes(18).toString("base64url");
  const assets = loadAssets(token);
  const api = apiDeps(deps, token);
  const stream = createStream({
    journal: deps.journal,
    counters: api.counters,
    deadLetterIds: api.deadLetterIds,
    rowFor: async (change) => {
      const context: RowContext = {
        journal: deps.journal,
        directory: api.directory,
        deadLetters: api.deadLetterIds(),
      };
      if (change.seq !== undefined) {
        const entry = deps.journal.refusedEntry(change.seq);
        return entry && requestRow(entry);
      }
      const entry = deps.journal.acceptedEntry(change.eventId!);
      if (entry) return acceptedRow(entry, context);
      const archived = await deps.archive.getEvent(change.eventId!);
      return archived && eventRow(archived, context);
    },
  });
  return {
    async handle(req, res) {
      const url = new URL(req.url ?? "/", "http://localhost");
      const head = req.method === "HEAD";
      if (url.pathname === "/" && (req.method === "GET" || head))
        return assets.serve(res, "index.html", head);
      if (url.pathname === "/_/inspector/app.js") return assets.serve(res, "app.js", head);
      if (url.pathname === "/_/inspector/app.css") return assets.serve(res, "app.css", head);
      if (url.pathname === "/_/api/stream" && req.method === "GET") return stream.handle(req, res);
      if (await handleApi(api, req, res, url)) return;
      await jsonRoutes(deps, api, req, res, url);
    },
    close: () => stream.close(),
  };
}

function apiDeps(deps: InspectorDeps, token: string): ApiDeps {
  const directory = consumerDirectory(deps.consumers, deps.running);
  const deadLetters = createDeadLetters(deps.fauxqs, deps.sqs, deps.localQueues);
  const source = { journal: deps.journal, archive: deps.archive };
  const archiveConsumer = deps.localQueues.find((q) => q.consumer.access.archiveTable)?.consumer.name;
  return {
    ...source,
    directory,
    deadLetters,
    deadLetterIds: () => deadLetters.eventIds(),
    stored: (pairs) => storedStates(deps.ddb, deps.idempotencyTable, pairs),
    archiveConsumer,
    ddb: deps.ddb,
    idempotencyTable: deps.idempotencyTable,
    reprocessor: deps.reprocessor ?? createReprocessor({ sqs: deps.sqs, queues: deps.localQueues, source }),
    fixtureSaver: deps.fixtureSaver ?? createFixtureSaver({ dir: deps.fixturesDir, source, root: deps.root }),
    secrets: deps.secrets,
    counters: () => countersView(deps),
    token,
  };
}

/**
 * Received, accepted (and of those, copies joined to a send in flight), rejected by reason; per
 * consumer processed, duplicate, failed, dead-lettered.
 */
function countersView(deps: InspectorDeps) {
  const c = deps.counters;
  // From the dead-letter queues' copy the view keeps (the emulator runs in a thread of its own).
  const deadLettered = (name: string) => {
    const dlq = deps.localQueues.find((q) => q.consumer.name === name)?.dlqName;
    const messages = dlq === undefined ? undefined : deps.fauxqs.inspectQueue(dlq)?.messages;
    return messages ? messages.ready.length + messages.delayed.length + messages.inflight.length : 0;
  };
  const consumers = Object.fromEntries(
    deps.consumers.map(({ name }) => [
      name,
      {
        ...(c.consumers[name] ?? { processed: 0, duplicate: 0, filtered: 0, failed: 0 }),
        deadLettered: deadLettered(name),
        running: deps.running.has(name),
      },
    ]),
  );
  return {
    received: c.received,
    accepted: c.queued + c.unrouted,
    joined: c.joined,
    answered: c.answered,
    failed: c.failed,
    rejected: c.rejected,
    consumers,
  };
}

/** The JSON routes under `/_/` that predate the page (`curl … | jq`). */
async function jsonRoutes(
  deps: InspectorDeps,
  api: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.method !== "GET") {
    res.writeHead(405, { allow: "GET", "content-type": "application/json" });
    res.end('{"error":"method_not_allowed"}');
    return;
  }
  try {
    if (url.pathname === "/_/health") {
      const uptimeSeconds = Math.round((Date.now() - deps.startedAt) / 1000);
      return void sendJson(res, 200, { status: "ok", uptimeSeconds, queues: await deps.queues() }, 2);
    }
    if (url.pathname === "/_/metrics") {
      const deadLettered = Object.fromEntries(
        Object.entries(await deps.queues()).map(([n, q]) => [n, q.deadLettered]),
      );
      return void sendJson(res, 200, { ...deps.counters, deadLettered }, 2);
    }
    if (url.pathname === "/_/events") {
      const limit = url.searchParams.get("limit");
      const param = (name: string) => url.searchParams.get(name) ?? undefined;
      const events = await deps.archive.listEvents({
        type: param("type"),
        source: param("source"),
        from: param("from"),
        to: param("to"),
        limit: limit === null ? undefined : Number(limit),
      });
      return void sendJson(res, 200, { events }, 2);
    }
    const match = /^\/_\/events\/(.+)$/.exec(url.pathname);
    if (match) {
      const id = decodeURIComponent(match[1]!);
      const event = await deps.archive.getEvent(id);
      if (!event) return void sendJson(res, 404, { error: "not_found", id }, 2);
      const consumers = await Promise.all(
        api.directory
          .matching(event)
          .map((name) =>
            name === api.archiveConsumer
              ? archivedState(name, id, event)
              : processingState(deps.ddb, deps.idempotencyTable, name, id),
          ),
      );
      return void sendJson(res, 200, { ...event, consumers }, 2);
    }
    sendJson(res, 404, { error: "not_found" }, 2);
  } catch (error) {
    sendJson(res, 500, { error: "inspector_error", message: (error as Error).message }, 2);
  }
}
