import type { IncomingMessage, ServerResponse } from "node:http";
import { InvalidCursorError } from "../../consumers/archive-summaries";
import type { SigningSecrets } from "../../fixtures/sign";
import { CodedError } from "../../shared/errors";
import {
  ActionTargetNotFoundError,
  curlCommand,
  type DeliverySource,
  type FixtureSaver,
  type Reprocessor,
  replayDelivery,
} from "./actions";
import type { createDeadLetters } from "./dead-letters";
import { DeadLetterNotFoundError } from "./dead-letters";
import { NotReplayableError } from "./delivery-request";
import { type DetailDeps, deliveryDetail } from "./detail";
import { actionAllowed, refuse } from "./guard";
import {
  InvalidDeliveryCursorError,
  LIST_STATES,
  type ListingDeps,
  type ListState,
  listDeliveries,
} from "./listing";

export interface ApiDeps extends ListingDeps, DetailDeps, DeliverySource {
  deadLetters: ReturnType<typeof createDeadLetters>;
  reprocessor: Reprocessor;
  fixtureSaver: FixtureSaver;
  /** The first of each provider's running secrets. */
  secrets: SigningSecrets;
  counters: () => unknown;
  /** The per-runtime token the page sends with actions. */
  token: string;
}

/** A request the API cannot take (bad JSON, an unknown state). */
export class BadApiRequestError extends CodedError {
  constructor(message: string) {
    super("bad_request", message);
  }
}

const ACTIONS = ["replay", "curl", "fixture", "reprocess"] as const;

/**
 * The page's API under `/_/api/`: the list (`GET deliveries?cursor=&limit=&type=&source=&provider=&state=&id=`),
 * one delivery (`GET deliveries/<key>`), counters, dead-letter queues, and the actions, POST only
 * and only from the page's own origin (or with its token): `deliveries/<id>/{replay,curl,fixture,reprocess}`
 * and `dlq/<consumer>/redrive`. Answers false when the path is not the API's.
 *
 * @example
 * if (await handleApi(deps, req, res, url)) return;
 */
export async function handleApi(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname;
  if (!path.startsWith("/_/api/")) return false;
  try {
    if (req.method === "POST") {
      if (!actionAllowed(req, deps.token)) {
        refuse(res, "forbidden_origin");
        return true;
      }
      return await post(deps, req, res, path);
    }
    if (req.method !== "GET") return methodNotAllowed(res);
    return await get(deps, res, url);
  } catch (error) {
    const status = statusOf(error);
    const code = error instanceof CodedError ? error.code : "inspector_error";
    sendJson(res, status, { error: code, message: (error as Error).message });
    return true;
  }
}

async function get(deps: ApiDeps, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  if (path === "/_/api/deliveries") {
    return sendJson(res, 200, await listDeliveries(deps, listQuery(url.searchParams)));
  }
  const one = /^\/_\/api\/deliveries\/([^/]+)$/.exec(path);
  if (one) {
    const key = decodeURIComponent(one[1]!);
    const detail = await deliveryDetail(deps, key);
    return detail ? sendJson(res, 200, detail) : sendJson(res, 404, { error: "not_found", key });
  }
  if (path === "/_/api/counters") return sendJson(res, 200, deps.counters());
  if (path === "/_/api/dlq") {
    const all = Object.fromEntries(deps.directory.names.map((name) => [name, deps.deadLetters.list(name)]));
    return sendJson(res, 200, all);
  }
  return sendJson(res, 404, { error: "not_found" });
}

async function post(
  deps: ApiDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const body = await readJson(req);
  const base = `http://127.0.0.1:${req.socket.localPort}`;
  const action = /^\/_\/api\/deliveries\/([^/]+)\/([a-z]+)$/.exec(path);
  if (action && (ACTIONS as readonly string[]).includes(action[2]!)) {
    const id = decodeURIComponent(action[1]!);
    switch (action[2] as (typeof ACTIONS)[number]) {
      case "replay":
        return sendJson(res, 200, await replayDelivery(deps, id, base, deps.secrets));
      case "curl":
        return sendJson(res, 200, { command: await curlCommand(deps, id, base, deps.secrets) });
      case "fixture":
        return sendJson(res, 200, await deps.fixtureSaver.saveFixture(id));
      case "reprocess": {
        const consumer = typeof body.consumer === "string" ? body.consumer : "";
        if (!deps.directory.names.includes(consumer))
          throw new ActionTargetNotFoundError(`consumer ${consumer}`);
        const { run, counted } = await deps.reprocessor.reprocess(id, consumer);
        return sendJson(res, 202, { reprocessing: id, consumer, run, counted });
      }
    }
  }
  const redrive = /^\/_\/api\/dlq\/([^/]+)\/redrive$/.exec(path);
  if (redrive) {
    const consumer = decodeURIComponent(redrive[1]!);
    const eventId = typeof body.eventId === "string" ? body.eventId : undefined;
    const result = eventId
      ? await deps.deadLetters.redriveOne(consumer, eventId)
      : await deps.deadLetters.redriveAll(consumer);
    return sendJson(res, 200, result);
  }
  return sendJson(res, 404, { error: "not_found" });
}

function listQuery(params: URLSearchParams) {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const state = text("state");
  if (state && !(LIST_STATES as readonly string[]).includes(state))
    throw new BadApiRequestError(`state must be one of ${LIST_STATES.join(", ")}`);
  const limit = text("limit");
  return {
    cursor: text("cursor"),
    limit: limit === undefined ? undefined : Number(limit) || undefined,
    type: text("type"),
    source: text("source"),
    provider: text("provider"),
    state: state as ListState | undefined,
    id: text("id"),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 65_536) throw new BadApiRequestError("body too large");
  }
  if (text.trim() === "") return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    throw new BadApiRequestError("body is not JSON");
  }
}

function statusOf(error: unknown): number {
  if (error instanceof ActionTargetNotFoundError || error instanceof DeadLetterNotFoundError) return 404;
  if (error instanceof NotReplayableError) return 409;
  if (error instanceof InvalidCursorError || error instanceof InvalidDeliveryCursorError) return 400;
  if (error instanceof BadApiRequestError) return 400;
  return 500;
}

function methodNotAllowed(res: ServerResponse): true {
  res.writeHead(405, { allow: "GET, POST", "content-type": "application/json" });
  res.end('{"error":"method_not_allowed"}');
  return true;
}

/** Writes a JSON answer; returns true (handled). */
export function sendJson(res: ServerResponse, status: number, body: unknown, indent?: number): true {
  const text = JSON.stringify(body, null, indent);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
  return true;
}
