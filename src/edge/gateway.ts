import type { NormalizedEvent, Provider } from "../contract/event";
import { MAX_BODY_BYTES } from "../contract/limits";
import {
  GatewayError,
  InvalidBodyError,
  InvalidSignatureError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
} from "../shared/errors";
import { type GatewayRequest, type GatewayResponse, json } from "./http";
import { DEFAULT_MAX_DEPTH } from "./json";
import type { SecretsPort } from "./ports";
import { receiveGitHub } from "./providers/github";
import { receiveSlack } from "./providers/slack";
import type { Publish, PublishResult } from "./publisher";

export interface GatewayOptions {
  secrets: SecretsPort;
  publish: Publish;
  /** Providers with an endpoint; a disabled one answers 404. Default: both. */
  providers?: readonly Provider[];
  /** Injected clock (ms since the epoch), so recorded deliveries replay deterministically. */
  now?: () => number;
  /** Largest body accepted, in bytes (the function URL's own limit is 6 MB). */
  maxBodyBytes?: number;
  maxDepth?: number;
  /** Time allowed for every queue to accept an event, per provider, in ms. */
  deadlines?: Partial<Record<Provider, number>>;
}

/** A request answered by the gateway itself: GitHub's ping, Slack's URL verification and SSL check. */
export type Handshake = "ping" | "url_verification" | "ssl_check";

/** The event is on every matching queue (or on none: `unrouted`, answered but flagged). */
export interface QueuedOutcome {
  status: "queued";
  provider: Provider;
  event: NormalizedEvent;
  eventId: string;
  queues: string[];
  claimChecked: boolean;
  /** No consumer's route matched the event, so it is on no queue. */
  unrouted: boolean;
  /** A copy that arrived while the same event was being queued, answered with that send's result. */
  joined?: boolean;
}

/** A handshake or ping, answered without queueing anything. */
export interface AnsweredOutcome {
  status: "answered";
  provider: Provider;
  handshake: Handshake;
  /** GitHub's hook id for a ping. */
  eventId?: string;
}

/** rejected: a 4xx answer; failed: a 5xx answer. */
export interface RefusedOutcome {
  status: "rejected" | "failed";
  provider?: Provider;
  /** The error's `code`, as in the body (`{"error": code}`); `internal_error` for an unexpected one. */
  errorCode: string;
  /** What was thrown. */
  error: unknown;
}

/**
 * What happened to one request, for logs, metrics and the local runtime's output.
 *
 * @example
 * if (outcome.status === "queued" && outcome.unrouted) console.warn("no consumer for", outcome.eventId);
 */
export type Outcome = QueuedOutcome | AnsweredOutcome | RefusedOutcome;

export interface Handled {
  response: GatewayResponse;
  outcome: Outcome;
}

export const DEFAULT_MAX_BODY_BYTES = MAX_BODY_BYTES;
// Slack wants an answer within 3 s, GitHub within 10 s; keep room for the rest of the request.
export const DEFAULT_DEADLINES: Record<Provider, number> = { github: 8000, slack: 2000 };

const ROUTES: Record<string, Provider> = { "/github": "github", "/slack": "slack" };

export type Gateway = (request: GatewayRequest) => Promise<Handled>;

/**
 * The edge's core, independent of Lambda and of AWS: route, verify, normalize, publish, answer.
 * The Lambda handler and the local server are thin adapters around it.
 *
 * @example
 * const gateway = createGateway({ secrets, publish });
 * const { response, outcome } = await gateway({ method: "POST", path: "/github", headers, body });
 */
export function createGateway(options: GatewayOptions): Gateway {
  const now = options.now ?? Date.now;
  const enabled = new Set(options.providers ?? ["github", "slack"]);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };

  return async (request) => {
    const provider = Object.hasOwn(ROUTES, request.path) ? ROUTES[request.path] : undefined;
    try {
      if (provider === undefined || !enabled.has(provider)) throw new NotFoundError();
      if (request.method !== "POST") throw new MethodNotAllowedError();
      if (request.body.length > maxBodyBytes) throw new PayloadTooLargeError(maxBodyBytes);
      if (request.body.length === 0) throw new InvalidBodyError("empty");
      const handle = provider === "github" ? github : slack;
      const secrets = options.secrets[provider];
      try {
        return await handle(request, await secrets());
      } catch (error) {
        // A secret rotated while this instance was idle: re-read a stale list once, then verify again.
        const fresh = error instanceof InvalidSignatureError ? secrets.refreshIfStale?.() : undefined;
        if (fresh === undefined) throw error;
        return await handle(request, await fresh);
      }
    } catch (error) {
      return failure(provider, error);
    }
  };

  async function github(request: GatewayRequest, secrets: readonly string[]): Promise<Handled> {
    const result = receiveGitHub(request, { secrets, maxDepth, now: now() });
    if (result.kind === "ping") {
      return {
        response: json(200, { id: result.id, event: "ping" }),
        outcome: { provider: "github", status: "answered", handshake: "ping", eventId: result.id },
      };
    }
    const published = await options.publish(result.event, deadlines.github);
    return queued("github", result.event, published, json(202, { id: result.event.attributes.id }));
  }

  async function slack(request: GatewayRequest, secrets: readonly string[]): Promise<Handled> {
    const result = receiveSlack(request, { secrets, maxDepth, now: now() });
    if (result.kind === "url_verification") {
      return {
        response: json(200, { challenge: result.challenge }),
        outcome: { provider: "slack", status: "answered", handshake: "url_verification" },
      };
    }
    if (result.kind === "ssl_check") {
      return {
        response: empty(),
        outcome: { provider: "slack", status: "answered", handshake: "ssl_check" },
      };
    }
    const published = await options.publish(result.event, deadlines.slack);
    return queued("slack", result.event, published, empty());
  }
}

function queued(
  provider: Provider,
  event: NormalizedEvent,
  published: PublishResult,
  response: GatewayResponse,
): Handled {
  const outcome: QueuedOutcome = {
    provider,
    status: "queued",
    event,
    eventId: event.attributes.id,
    queues: published.queued,
    claimChecked: published.claimChecked,
    // No consumer asked for this event: answered (the sender must not retry) but flagged.
    unrouted: published.queued.length === 0,
  };
  if (published.joined) outcome.joined = true;
  return { response, outcome };
}

function empty(): GatewayResponse {
  return { statusCode: 200, headers: {}, body: "" };
}

function failure(provider: Provider | undefined, error: unknown): Handled {
  const known = error instanceof GatewayError;
  const statusCode = known ? error.statusCode : 500;
  const code = known ? error.code : "internal_error";
  const headers: Record<string, string> = known ? { ...error.headers } : {};
  // Slack retries 4xx answers up to three times; a permanent failure tells it not to.
  // https://api.slack.com/apis/events-api#retries
  if (provider === "slack" && statusCode < 500) headers["x-slack-no-retry"] = "1";
  const body = known ? { error: code, ...error.details } : { error: code };
  return {
    response: json(statusCode, body, headers),
    outcome: { provider, status: statusCode < 500 ? "rejected" : "failed", errorCode: code, error },
  };
}
