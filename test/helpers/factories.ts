/**
 * Small factories for consumer tests: gateway events as the edge would queue them (built with the
 * edge's own source/subject rules and the real payload corpus), and SQS records, events and
 * Lambda contexts as Lambda would deliver them.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import type { EventAttributes, GatewayEvent } from "../../src/contract/event";
import { githubSource } from "../../src/edge/providers/github";
import { githubSubject } from "../../src/edge/providers/github-subject";
import { createLambdaContext } from "../../src/local/lambda/lambda-context";

type Json = Record<string, unknown>;

interface ExampleGroup {
  name: string;
  examples: Json[];
}

/**
 * A deep copy of a real payload from `@octokit/webhooks-examples`, optionally patched.
 *
 * @example
 * githubExample("pull_request", "opened", (p) => Object.assign(p.pull_request as object, { merged: true }))
 */
export function githubExample(name: string, action?: string, patch?: (payload: Json) => void): Json {
  const groups = require("@octokit/webhooks-examples/api.github.com/index.json") as ExampleGroup[];
  const group = groups.find((candidate) => candidate.name === name);
  const example = group?.examples.find((payload) => action === undefined || payload.action === action);
  if (!example) throw new Error(`No example for ${name}${action ? `.${action}` : ""}`);
  const payload = structuredClone(example);
  patch?.(payload);
  return payload;
}

/** A GitHub delivery as the edge normalizes it (`github:<delivery>`, repository source, subject). */
export function githubEvent(options: {
  name: string;
  payload: Json;
  delivery?: string;
  receivedAt?: Date;
  hookId?: string;
}): GatewayEvent {
  const receivedat = (options.receivedAt ?? new Date()).toISOString();
  const action = typeof options.payload.action === "string" ? `.${options.payload.action}` : "";
  const attributes: EventAttributes = {
    specversion: "1.0",
    id: `github:${options.delivery ?? randomUUID()}`,
    source: githubSource(options.payload).source,
    type: `com.github.${options.name}${action}`,
    subject: githubSubject(options.name, options.payload),
    time: receivedat,
    datacontenttype: "application/json",
    provider: "github",
    receivedat,
  };
  if (attributes.subject === undefined) delete attributes.subject;
  if (options.hookId) attributes.hookid = options.hookId;
  return withData(attributes, options.payload);
}

/** An Events API callback (`slack:<event_id>`), with the retry attributes of a Slack retry. */
export function slackEventsApiEvent(options: {
  event: Json;
  eventId?: string;
  teamId?: string;
  retryNum?: number;
  retryReason?: string;
}): GatewayEvent {
  const eventId = options.eventId ?? `Ev${randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`;
  const teamId = options.teamId ?? "T0001";
  const body = {
    token: "verification-token",
    team_id: teamId,
    api_app_id: "A0001",
    event: options.event,
    type: "event_callback",
    event_id: eventId,
    event_time: 1795428000,
    authorizations: [{ team_id: teamId, user_id: "U0BOT", is_bot: true, is_enterprise_install: false }],
  };
  const channel = typeof options.event.channel === "string" ? options.event.channel : undefined;
  return slackEnvelope({
    id: `slack:${eventId}`,
    type: `com.slack.event.${String(options.event.type)}`,
    teamId,
    subject: channel ? `channel/${channel}` : undefined,
    data: body,
    extensions: {
      ...(options.retryNum !== undefined && { retrynum: options.retryNum }),
      ...(options.retryReason !== undefined && { retryreason: options.retryReason }),
    },
  });
}

/** A slash command: the form fields as an object, id hashed from the (here: synthesized) raw body. */
export function slackCommandEvent(fields: Record<string, string>): GatewayEvent {
  const raw = new URLSearchParams(fields).toString();
  return slackEnvelope({
    id: hashId(raw),
    type: "com.slack.command",
    teamId: fields.team_id ?? "T0001",
    subject: fields.command,
    data: fields,
  });
}

/** An interaction (`block_actions`, `view_submission`, …): the parsed `payload` JSON. */
export function slackInteractionEvent(payload: Json): GatewayEvent {
  const raw = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const team = (payload.team as Json | undefined)?.id;
  return slackEnvelope({
    id: hashId(raw),
    type: `com.slack.interaction.${String(payload.type)}`,
    teamId: typeof team === "string" ? team : "T0001",
    data: payload,
  });
}

function slackEnvelope(parts: {
  id: string;
  type: string;
  teamId: string;
  subject?: string;
  data: unknown;
  extensions?: Record<string, string | number>;
}): GatewayEvent {
  const receivedat = new Date().toISOString();
  const attributes: EventAttributes = {
    specversion: "1.0",
    id: parts.id,
    source: `urn:slack:team:${parts.teamId}`,
    type: parts.type,
    time: receivedat,
    datacontenttype: "application/json",
    provider: "slack",
    receivedat,
    ...parts.extensions,
  };
  if (parts.subject) attributes.subject = parts.subject;
  return withData(attributes, parts.data);
}

// `data` is not an extension attribute: the envelope's index signature does not cover it.
function withData(attributes: EventAttributes, data: unknown): GatewayEvent {
  return { ...attributes, data } as GatewayEvent;
}

function hashId(raw: string): string {
  return `slack:${createHash("sha256").update(raw).digest("hex").slice(0, 40)}`;
}

/** An SQS record as Lambda delivers it, carrying `body` (an event is serialized) and the edge's attributes. */
export function sqsRecord(body: GatewayEvent | string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const now = String(Date.now());
  const attributes =
    typeof body === "string" ? {} : { type: body.type, source: body.source, provider: body.provider };
  return {
    messageId: randomUUID(),
    receiptHandle: `AQEB${randomUUID()}`,
    body: text,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: now,
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [
        name,
        { stringValue: value, stringListValues: [], binaryListValues: [], dataType: "String" },
      ]),
    ),
    md5OfBody: createHash("md5").update(text).digest("hex"),
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:consumer",
    awsRegion: "us-east-1",
    ...overrides,
  };
}

/** The same record on a FIFO queue, in message group `groupId`. */
export function fifoRecord(body: GatewayEvent | string, groupId: string, sequence: number): SQSRecord {
  const record = sqsRecord(body);
  record.attributes.MessageGroupId = groupId;
  record.attributes.MessageDeduplicationId = typeof body === "string" ? String(sequence) : body.id;
  record.attributes.SequenceNumber = String(sequence).padStart(20, "0");
  record.eventSourceARN = "arn:aws:sqs:us-east-1:000000000000:consumer.fifo";
  return record;
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export function lambdaContext(overrides: { functionName?: string; timeoutMs?: number } = {}): Context {
  return createLambdaContext({
    functionName: overrides.functionName ?? "consumer",
    timeoutMs: overrides.timeoutMs ?? 30_000,
  });
}
