import type { IncomingMessage, ServerResponse } from "node:http";
import type { Journal } from "./journal";
import type { DeliveryRow } from "./rows";

type Change = { eventId?: string; seq?: number };

export interface StreamDeps {
  journal: Journal;
  /** The row a change shows (absent: nothing to show). */
  rowFor: (change: Change) => Promise<DeliveryRow | undefined>;
  counters: () => unknown;
  /** Event ids in each consumer's dead-letter queue (polled to notice dead-lettering and redrives). */
  deadLetterIds: () => Map<string, Set<string>>;
  /** How often changes are flushed and dead-letter queues looked at (default 200 ms). */
  intervalMs?: number;
}

/**
 * The page's live feed (Server-Sent Events on `/_/api/stream`): a `delivery` event with the row of
 * every event or request that changed (new, a consumer's outcome, dead-lettered, redriven), and a
 * `counters` event after each batch of changes. Changes are coalesced and sent every `intervalMs`.
 *
 * @example
 * const stream = createStream({ journal, rowFor, counters, deadLetterIds });
 * if (path === "/_/api/stream") return stream.handle(req, res);
 * stream.close();
 */
export function createStream(deps: StreamDeps) {
  const clients = new Set<ServerResponse>();
  const changed = new Map<string, Change>();
  let dead = snapshot(deps.deadLetterIds());
  const unsubscribe = deps.journal.subscribe((change) => {
    changed.set(change.eventId ?? `#${change.seq}`, change);
  });
  const flush = async () => {
    const next = snapshot(deps.deadLetterIds());
    for (const id of difference(dead, next)) changed.set(id, { eventId: id });
    dead = next;
    if (changed.size === 0 || clients.size === 0) return void changed.clear();
    const batch = [...changed.values()];
    changed.clear();
    for (const change of batch) {
      const row = await deps.rowFor(change).catch(() => undefined);
      if (row) send(clients, "delivery", row);
    }
    send(clients, "counters", deps.counters());
  };
  let flushing = false;
  const timer = setInterval(() => {
    if (flushing) return;
    flushing = true;
    void flush().finally(() => {
      flushing = false;
    });
  }, deps.intervalMs ?? 200);
  timer.unref();
  const heartbeat = setInterval(() => send(clients, undefined, undefined), 15_000);
  heartbeat.unref();
  return {
    handle(req: IncomingMessage, res: ServerResponse): void {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      res.write("retry: 1000\n\n");
      res.write(frame("counters", deps.counters()));
      clients.add(res);
      req.on("close", () => clients.delete(res));
    },
    /** Ends every open stream and stops the timers (before the server closes). */
    close(): void {
      clearInterval(timer);
      clearInterval(heartbeat);
      unsubscribe();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}

function frame(event: string | undefined, data: unknown): string {
  return event === undefined ? ": keep-alive\n\n" : `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function send(clients: ReadonlySet<ServerResponse>, event: string | undefined, data: unknown): void {
  const text = frame(event, data);
  for (const res of clients) res.write(text);
}

function snapshot(ids: Map<string, Set<string>>): Set<string> {
  return new Set([...ids].flatMap(([consumer, set]) => [...set].map((id) => `${consumer}\n${id}`)));
}

/** Event ids that entered or left some dead-letter queue. */
function difference(before: Set<string>, after: Set<string>): Set<string> {
  const ids = new Set<string>();
  for (const key of before) if (!after.has(key)) ids.add(key.split("\n")[1]!);
  for (const key of after) if (!before.has(key)) ids.add(key.split("\n")[1]!);
  return ids;
}
