import { createHash } from "node:crypto";
import type { GatewayEvent } from "./event";
import { githubSource } from "./github-source";

/** FIFO group and deduplication ids: 1 to 128 letters, digits and punctuation. */
const FIFO_TOKEN = /^[\x21-\x7e]{1,128}$/;

/**
 * A FIFO group or deduplication id: the value when it is one, else its SHA-256 (hex).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 *
 * @example
 * fifoToken("octo/hello") // "octo/hello"
 * fifoToken("équipe")     // "2f1c…" (64 hex digits)
 */
export function fifoToken(value: string): string {
  return FIFO_TOKEN.test(value) ? value : createHash("sha256").update(value).digest("hex");
}

/** What a FIFO queue message carries besides its body. */
export interface FifoMessageIds {
  groupId: string;
  deduplicationId: string;
}

/**
 * The FIFO rule, for live events (the edge) and replayed ones (archive replay) alike: one message
 * group per group key (repository, organization or channel), deduplicated on the event id.
 *
 * @example
 * fifoMessageIds("octo/hello", "github:72d3…") // { groupId: "octo/hello", deduplicationId: "github:72d3…" }
 */
export function fifoMessageIds(groupKey: string, eventId: string): FifoMessageIds {
  return { groupId: fifoToken(groupKey), deduplicationId: fifoToken(eventId) };
}

/**
 * A Slack event's group key: its channel, else its workspace (team or enterprise), else `slack`.
 *
 * @example
 * slackGroupKey("C123", "T9") // "C123"
 */
export function slackGroupKey(channel: string | undefined, team: string | undefined): string {
  return channel ?? team ?? "slack";
}

const SLACK_TEAM_SOURCE = "urn:slack:team:";
const SLACK_CHANNEL_SUBJECT = "channel/";

/**
 * The group key of an event already built (archived, replayed), by the rules the edge applied when
 * it received it: GitHub through {@link githubSource} on the payload; Slack through
 * {@link slackGroupKey} on the channel (the `channel/…` subject, or a slash command's
 * `channel_id`) and the team of the `source`. An archived event without its payload (too large
 * for the archive) is read from its `source`, which names the same account.
 *
 * @example
 * eventGroupKey(pushToOctoHello) // "octo/hello" (its source is "https://github.com/octo/hello")
 */
export function eventGroupKey(event: GatewayEvent): string {
  const data = isObject(event.data) ? event.data : undefined;
  if (event.provider === "slack") return slackEventGroupKey(event, data);
  if (data) return githubSource(data).groupKey;
  return githubGroupKeyOfSource(event.source);
}

function slackEventGroupKey(event: GatewayEvent, data: Record<string, unknown> | undefined): string {
  const subject = event.subject;
  const channelId = data?.channel_id;
  const channel = subject?.startsWith(SLACK_CHANNEL_SUBJECT)
    ? subject.slice(SLACK_CHANNEL_SUBJECT.length)
    : event.type === "com.slack.command" && typeof channelId === "string"
      ? channelId
      : undefined;
  const team = event.source.startsWith(SLACK_TEAM_SOURCE)
    ? decoded(event.source.slice(SLACK_TEAM_SOURCE.length))
    : undefined;
  return slackGroupKey(channel, team);
}

// The inverse of githubSource's `source` for the payload-less case; see github-source.ts.
function githubGroupKeyOfSource(source: string): string {
  const installation = /^urn:github:installation:(.+)$/.exec(source);
  if (installation) return `installation-${decoded(installation[1]!)}`;
  const path = /^https:\/\/github\.com\/(?:enterprises\/)?(.+)$/.exec(source);
  return path ? decoded(path[1]!) : "github";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** uriSafe's inverse; printable ASCII was kept as is, so a stray `%` stays too. */
function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
