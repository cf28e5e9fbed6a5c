import { createHash } from "node:crypto";
import type { EventAttributes, NormalizedEvent } from "../../contract/event";
import { slackGroupKey } from "../../contract/fifo";
import { uriSafe } from "../../contract/uri";
import { InvalidBodyError, InvalidSignatureError, UnsupportedMediaTypeError } from "../../shared/errors";
import { type GatewayRequest, mediaType } from "../http";
import { decodeUtf8, obj, parseJsonObject, str } from "../json";
import { verifySlackSignature } from "../signatures/slack";

const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";
const NAME = /^[a-z0-9_]{1,64}$/;
const EVENT_ID = /^[A-Za-z0-9]{1,64}$/;
const RETRY_NUM = /^[0-9]{1,3}$/;
const REASON = /^[a-z0-9_]{1,64}$/;
const MAX_EPOCH_SECONDS = 8.64e12 / 1000;

export interface SlackOptions {
  secrets: readonly string[];
  maxDepth: number;
  now: number;
}

export type SlackResult =
  | { kind: "event"; event: NormalizedEvent }
  | { kind: "url_verification"; challenge: string }
  | { kind: "ssl_check" };

/**
 * Checks, verifies and normalizes one Slack request: Events API callbacks (JSON), slash
 * commands and interactions (form-encoded), plus the `url_verification` and `ssl_check`
 * handshakes, which are answered and never queued.
 *
 * @see https://api.slack.com/apis/events-api#receiving-events
 * @see https://api.slack.com/interactivity/handling#payloads
 * @example
 * const result = receiveSlack(request, { secrets: ["8f74…"], maxDepth: 64, now: Date.now() });
 */
export function receiveSlack(request: GatewayRequest, options: SlackOptions): SlackResult {
  const type = mediaType(request.headers["content-type"]);
  if (type !== JSON_TYPE && type !== FORM_TYPE) throw new UnsupportedMediaTypeError([JSON_TYPE, FORM_TYPE]);

  const verdict = verifySlackSignature(
    options.secrets,
    request.body,
    request.headers["x-slack-request-timestamp"],
    request.headers["x-slack-signature"],
    options.now,
  );
  if (verdict !== "ok") throw new InvalidSignatureError(verdict);

  const text = decodeUtf8(request.body);
  const retries = retryAttributes(request);
  if (type === JSON_TYPE) {
    const body = parseJsonObject(text, options.maxDepth);
    if (body.type === "url_verification") {
      const challenge = str(body, "challenge");
      if (challenge === undefined) throw new InvalidBodyError("missing_challenge");
      return { kind: "url_verification", challenge };
    }
    const event = eventsApi(body, text, request.body, options.now, retries);
    // As many UTF-16 units as bytes: the text is ASCII and needs no escape scan downstream.
    event.dataAscii = text.length === request.body.length;
    return { kind: "event", event };
  }

  const form = new URLSearchParams(text);
  if (form.get("ssl_check") === "1") return { kind: "ssl_check" };
  const payload = form.get("payload");
  if (payload !== null) {
    const body = parseJsonObject(payload, options.maxDepth);
    return { kind: "event", event: interaction(body, payload, request.body, options.now, retries) };
  }
  if (form.has("command")) return { kind: "event", event: command(form, request.body, options.now, retries) };
  throw new InvalidBodyError("unknown_form");
}

type Extensions = Record<string, string | number>;

function eventsApi(
  body: Record<string, unknown>,
  dataJson: string,
  raw: Buffer,
  now: number,
  extensions: Extensions,
): NormalizedEvent {
  const outer = str(body, "type");
  const inner = obj(body, "event");
  const eventType = str(inner, "type");
  const type =
    outer === "event_callback" && eventType && NAME.test(eventType)
      ? `com.slack.event.${eventType}`
      : `com.slack.${outer && NAME.test(outer) ? outer : "unknown"}`;
  const eventId = str(body, "event_id");
  const channel = str(inner, "channel") ?? str(obj(inner, "item"), "channel");
  const user = str(inner, "user");
  const eventTime = body.event_time;
  // Beyond 8.64e12 s a Date cannot hold the time; fall back to the receive time.
  const time =
    typeof eventTime === "number" &&
    Number.isSafeInteger(eventTime) &&
    eventTime > 0 &&
    eventTime <= MAX_EPOCH_SECONDS
      ? new Date(eventTime * 1000).toISOString()
      : undefined;
  return build({
    id: eventId && EVENT_ID.test(eventId) ? `slack:${eventId}` : hashId(raw),
    type,
    team: str(body, "team_id") ?? str(body, "enterprise_id"),
    subject: channel ? `channel/${channel}` : user ? `user/${user}` : undefined,
    time,
    now,
    dataJson,
    groupKey: channel,
    extensions,
  });
}

function interaction(
  body: Record<string, unknown>,
  dataJson: string,
  raw: Buffer,
  now: number,
  extensions: Extensions,
): NormalizedEvent {
  const kind = str(body, "type");
  const channel = str(obj(body, "channel"), "id");
  const view = str(obj(body, "view"), "id");
  const callback = str(body, "callback_id");
  return build({
    id: hashId(raw),
    type: `com.slack.interaction.${kind && NAME.test(kind) ? kind : "unknown"}`,
    team:
      str(obj(body, "team"), "id") ?? str(obj(body, "enterprise"), "id") ?? str(obj(body, "user"), "team_id"),
    subject: channel
      ? `channel/${channel}`
      : view
        ? `view/${view}`
        : callback
          ? `callback/${callback}`
          : undefined,
    now,
    dataJson,
    groupKey: channel,
    extensions,
  });
}

function command(form: URLSearchParams, raw: Buffer, now: number, extensions: Extensions): NormalizedEvent {
  // fromEntries defines own properties: a field named "__proto__" is kept as an ordinary key.
  const fields = Object.fromEntries(form) as Record<string, string>;
  const channel = form.get("channel_id") ?? undefined;
  return build({
    id: hashId(raw),
    type: "com.slack.command",
    team: form.get("team_id") ?? form.get("enterprise_id") ?? undefined,
    subject: form.get("command") ?? undefined,
    now,
    dataJson: JSON.stringify(fields),
    groupKey: channel,
    extensions,
  });
}

interface Parts {
  id: string;
  type: string;
  team: string | undefined;
  subject: string | undefined;
  time?: string | undefined;
  now: number;
  dataJson: string;
  groupKey: string | undefined;
  extensions: Extensions;
}

function build(parts: Parts): NormalizedEvent {
  const receivedAt = new Date(parts.now).toISOString();
  const attributes: EventAttributes = {
    specversion: "1.0",
    id: parts.id,
    source: parts.team ? `urn:slack:team:${uriSafe(parts.team)}` : "urn:slack",
    type: parts.type,
    time: parts.time ?? receivedAt,
    datacontenttype: "application/json",
    provider: "slack",
    receivedat: receivedAt,
    ...parts.extensions,
  };
  if (parts.subject !== undefined) attributes.subject = parts.subject;
  return { attributes, dataJson: parts.dataJson, groupKey: slackGroupKey(parts.groupKey, parts.team) };
}

/**
 * Slash commands and interactions carry no event id, and Slack never retries them; the id is a
 * hash of the signed bytes so that a replayed request (or an SQS duplicate) keeps it.
 */
function hashId(raw: Buffer): string {
  return `slack:${createHash("sha256").update(raw).digest("hex").slice(0, 40)}`;
}

/** `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` kept as extension attributes. */
function retryAttributes(request: GatewayRequest): Extensions {
  const num = request.headers["x-slack-retry-num"];
  const reason = request.headers["x-slack-retry-reason"];
  const out: Extensions = {};
  if (num && RETRY_NUM.test(num)) out.retrynum = Number(num);
  if (reason && REASON.test(reason)) out.retryreason = reason;
  return out;
}
