import type { IncomingMessage, ServerResponse } from "node:http";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type ArchiveStore, compileFilter, processingState } from "../consumers";
import type { ConsumerFilter } from "../consumers/types";
import type { Counters } from "./counters";

export interface InspectorDeps {
  archive: ArchiveStore;
  ddb: DynamoDBClient;
  idempotencyTable: string;
  consumers: readonly { name: string; filter: ConsumerFilter }[];
  counters: Counters;
  /** Messages waiting, in flight and dead-lettered, per consumer queue. */
  queues: () => Promise<Record<string, { ready: number; inflight: number; deadLettered: number }>>;
  startedAt: number;
}

/**
 * The inspector API under `/_/`: health, the archive (newest first, `?type=&source=&limit=`),
 * one event with its processing state per consumer, and the counters.
 *
 * @example
 * if (url.pathname.startsWith("/_/")) return inspector(req, res);
 */
export function createInspector(deps: InspectorDeps) {
  const matchers = deps.consumers.map((c) => ({ name: c.name, matches: compileFilter(c.name, c.filter) }));
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body, null, 2);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    };
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET", "content-type": "application/json" });
      res.end('{"error":"method_not_allowed"}');
      return;
    }
    try {
      if (url.pathname === "/_/health") {
        return send(200, {
          status: "ok",
          uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
          queues: await deps.queues(),
        });
      }
      if (url.pathname === "/_/metrics") {
        const queues = await deps.queues();
        const deadLettered = Object.fromEntries(
          Object.entries(queues).map(([name, q]) => [name, q.deadLettered]),
        );
        return send(200, { ...deps.counters, deadLettered });
      }
      if (url.pathname === "/_/events") {
        const limit = url.searchParams.get("limit");
        const events = await deps.archive.listEvents({
          type: url.searchParams.get("type") ?? undefined,
          source: url.searchParams.get("source") ?? undefined,
          from: url.searchParams.get("from") ?? undefined,
          to: url.searchParams.get("to") ?? undefined,
          limit: limit === null ? undefined : Number(limit),
        });
        return send(200, { events });
      }
      const match = /^\/_\/events\/(.+)$/.exec(url.pathname);
      if (match) {
        const id = decodeURIComponent(match[1]!);
        const event = await deps.archive.getEvent(id);
        if (!event) return send(404, { error: "not_found", id });
        const consumers = await Promise.all(
          matchers
            .filter((m) => m.matches({ type: event.type, source: event.source }))
            .map((m) =>
              // The archive keeps no idempotency record: its first-write-wins item is its record.
              m.name === ARCHIVE_CONSUMER
                ? { consumer: m.name, eventId: id, status: "COMPLETED" as const, expiresAt: expiryOf(event) }
                : processingState(deps.ddb, deps.idempotencyTable, m.name, id),
            ),
        );
        return send(200, { ...event, consumers });
      }
      return send(404, { error: "not_found" });
    } catch (error) {
      return send(500, { error: "inspector_error", message: (error as Error).message });
    }
  };
}

/** The shipped consumer whose own store (the archive) is its idempotency. */
const ARCHIVE_CONSUMER = "archive";

function expiryOf(event: { expiresat?: number }): string | undefined {
  return event.expiresat === undefined ? undefined : new Date(event.expiresat * 1000).toISOString();
}
