import type { EventAttributes, NormalizedEvent } from "../../contract/event";
import { githubSource } from "../../contract/github-source";
import {
  InvalidBodyError,
  InvalidSignatureError,
  MissingHeadersError,
  UnsupportedMediaTypeError,
} from "../../shared/errors";
import { type GatewayRequest, mediaType } from "../http";
import { decodeUtf8, parseJsonObject, str } from "../json";
import { verifyGitHubSignature } from "../signatures/github";
import { githubSubject } from "./github-subject";

const CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded"] as const;
const EVENT_NAME = /^[a-z0-9_]{1,64}$/;
// repository_dispatch carries a user-chosen event_type as its action; keep it when it is a plain token.
const ACTION = /^[A-Za-z0-9_-]{1,100}$/;
// GitHub sends a GUID; redeliveries keep it. Anything that could not be a CloudEvents id is refused.
const DELIVERY = /^[A-Za-z0-9._-]{1,100}$/;
const DIGITS = /^[0-9]{1,20}$/;

export interface GitHubOptions {
  secrets: readonly string[];
  maxDepth: number;
  now: number;
}

export type GitHubResult = { kind: "event"; event: NormalizedEvent } | { kind: "ping"; id: string };

/**
 * Checks, verifies and normalizes one GitHub delivery, cheapest check first: content type,
 * required headers (all missing ones named), signature on the raw bytes, then decoding and parsing.
 *
 * @see https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers
 * @example
 * const result = receiveGitHub(request, { secrets: ["s3cret"], maxDepth: 64, now: Date.now() });
 * if (result.kind === "event") publish(result.event);
 */
export function receiveGitHub(request: GatewayRequest, options: GitHubOptions): GitHubResult {
  const type = mediaType(request.headers["content-type"]);
  if (type !== CONTENT_TYPES[0] && type !== CONTENT_TYPES[1])
    throw new UnsupportedMediaTypeError(CONTENT_TYPES);

  const name = request.headers["x-github-event"];
  const delivery = request.headers["x-github-delivery"];
  if (!name || !delivery) {
    const missing: string[] = [];
    if (!name) missing.push("x-github-event");
    if (!delivery) missing.push("x-github-delivery");
    throw new MissingHeadersError(missing);
  }

  if (!verifyGitHubSignature(options.secrets, request.body, request.headers["x-hub-signature-256"])) {
    throw new InvalidSignatureError();
  }

  if (!EVENT_NAME.test(name)) throw new InvalidBodyError("invalid_event_header");
  if (!DELIVERY.test(delivery)) throw new InvalidBodyError("invalid_delivery_header");

  const text = decodeUtf8(request.body);
  const dataJson = type === CONTENT_TYPES[0] ? text : formPayload(text);
  const payload = parseJsonObject(dataJson, options.maxDepth);
  const id = `github:${delivery}`;
  if (name === "ping") return { kind: "ping", id };

  const action = str(payload, "action");
  const { source, groupKey } = githubSource(payload);
  const receivedAt = new Date(options.now).toISOString();
  const attributes: EventAttributes = {
    specversion: "1.0",
    id,
    source,
    type: action && ACTION.test(action) ? `com.github.${name}.${action}` : `com.github.${name}`,
    subject: githubSubject(name, payload),
    time: receivedAt,
    datacontenttype: "application/json",
    provider: "github",
    receivedat: receivedAt,
  };
  if (attributes.subject === undefined) delete attributes.subject;
  const hookId = request.headers["x-github-hook-id"];
  if (hookId && DIGITS.test(hookId)) attributes.hookid = hookId;
  // As many UTF-16 units as bytes: the text is ASCII and needs no escape scan downstream.
  const dataAscii = dataJson === text && text.length === request.body.length;
  return { kind: "event", event: { attributes, dataJson, dataAscii, groupKey } };
}

/** `application/x-www-form-urlencoded` deliveries carry the JSON in a `payload` field. */
function formPayload(text: string): string {
  const payload = new URLSearchParams(text).get("payload");
  if (payload === null) throw new InvalidBodyError("missing_payload_field");
  return payload;
}

export { githubSource };
