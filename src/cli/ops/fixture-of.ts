import { githubEventName } from "../../consumers/github";
import type { GatewayEvent } from "../../contract/event";
import { DEFAULT_MAX_DEPTH } from "../../edge/json";
import { receiveGitHub } from "../../edge/providers/github";
import { receiveSlack } from "../../edge/providers/slack";
import type { Fixture } from "../../fixtures/fixture";
import { signFixture } from "../../fixtures/sign";
import { GatewayError } from "../../shared/errors";
import { CommandError } from "../errors";

/** A fixture about to be written, and what the user should know about it. */
export interface Recording {
  fixture: Fixture;
  /** The file name without `.json`, from the event type (`pull_request.opened`). */
  name: string;
  /** Headers rebuilt from the CloudEvent rather than recorded (archive sources). */
  reconstructed: string[];
}

// Headers that prove who sent a delivery, or carry credentials: never written to a fixture.
const SECRET_HEADER =
  /^x-hub-signature|^x-slack-signature$|^x-slack-request-timestamp$|authorization|cookie|token|secret/i;
// Body fields that hold credentials (Slack's verification `token`, OAuth tokens, secrets).
const SECRET_FIELD = /^(token|secret|password|client_secret)$|_token$|_secret$/i;
const FORM = "application/x-www-form-urlencoded";

/**
 * Header names lower-cased, without signature headers and anything holding a credential.
 *
 * @example
 * cleanHeaders({ "X-Hub-Signature-256": "sha256=…", "X-GitHub-Event": "push" }) // { "x-github-event": "push" }
 */
export function cleanHeaders(headers: Record<string, unknown>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADER.test(name) && value !== undefined && value !== null)
      clean[name.toLowerCase()] = String(value);
  }
  return clean;
}

/**
 * A copy of a payload with every credential-like field (`token`, `*_secret`, …) replaced by
 * `"redacted"`: the fixture is signed at replay time, so nothing checks those values.
 *
 * @example
 * redactSecrets({ token: "XXYYZZ", team_id: "T1" }) // { token: "redacted", team_id: "T1" }
 */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = SECRET_FIELD.test(key) && typeof field === "string" ? "redacted" : redactSecrets(field);
  }
  return copy as T;
}

/**
 * A fixture from a GitHub delivery log entry (`GET …/hooks/{id}/deliveries/{delivery_id}`): the
 * request headers GitHub sent (signatures removed) and the payload, as JSON or as the form it was.
 *
 * @example
 * fixtureOfGitHubDelivery(await octokit.request("GET /app/hook/deliveries/{delivery_id}", { delivery_id })).name // "push"
 */
export function fixtureOfGitHubDelivery(delivery: {
  guid: string;
  delivered_at?: string;
  request: { headers: Record<string, unknown> | null; payload: unknown };
}): Recording {
  const headers = cleanHeaders(delivery.request.headers ?? {});
  const payload = redactSecrets(delivery.request.payload);
  const json = JSON.stringify(payload);
  const body = headers["content-type"]?.startsWith(FORM) ? `payload=${encodeURIComponent(json)}` : json;
  const description = `Recorded from GitHub's delivery log: delivery ${delivery.guid}${delivery.delivered_at ? ` of ${delivery.delivered_at}` : ""}.`;
  return complete({ provider: "github", description, request: { headers, body } }, []);
}

/**
 * A fixture from an archived CloudEvent. The archive keeps the payload, not the request, so the
 * headers the edge needs are rebuilt from the event (GitHub: `x-github-event`, `-delivery`,
 * `-hook-id` from `hookid`, content type; Slack: content type and retry headers) and the body is
 * re-serialized; both are listed in `reconstructed`.
 *
 * @example
 * fixtureOfEvent(archived.event).reconstructed // ["content-type", "x-github-event", "x-github-delivery", "x-github-hook-id"]
 */
export function fixtureOfEvent(event: GatewayEvent, origin: string): Recording {
  if (event.data === undefined)
    throw new CommandError("archived_without_data", `${event.id} was archived without its data`);
  const data = redactSecrets(event.data) as Record<string, unknown>;
  const { headers, body } =
    event.provider === "github" ? githubRequest(event, data) : slackRequest(event, data);
  const reconstructed = Object.keys(headers);
  const description =
    `Recorded from ${origin}: event ${event.id} received ${event.receivedat}. ` +
    `The archive keeps payloads, not requests: headers ${reconstructed.join(", ")} are reconstructed from the CloudEvent and the body is re-serialized.`;
  return complete({ provider: event.provider, description, request: { headers, body } }, reconstructed);
}

function githubRequest(event: GatewayEvent, data: unknown) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/recorded",
    "x-github-event": githubEventName(event.type),
    "x-github-delivery": event.id.replace(/^github:/, ""),
  };
  if (event.hookid !== undefined) headers["x-github-hook-id"] = String(event.hookid);
  return { headers, body: JSON.stringify(data) };
}

function slackRequest(event: GatewayEvent, data: Record<string, unknown>) {
  const headers: Record<string, string> = { "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)" };
  if (event.retrynum !== undefined) headers["x-slack-retry-num"] = String(event.retrynum);
  if (event.retryreason !== undefined) headers["x-slack-retry-reason"] = String(event.retryreason);
  if (event.type === "com.slack.command") {
    const form = new URLSearchParams(
      Object.entries(data).map(([k, v]): [string, string] => [k, String(v ?? "")]),
    );
    return { headers: { "content-type": FORM, ...headers }, body: form.toString() };
  }
  if (event.type.startsWith("com.slack.interaction.")) {
    return {
      headers: { "content-type": FORM, ...headers },
      body: new URLSearchParams({ payload: JSON.stringify(data) }).toString(),
    };
  }
  return { headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(data) };
}

/** Adds what the edge does with the request (status and event), found by running the edge's own checks. */
function complete(partial: Omit<Fixture, "name" | "expect">, reconstructed: string[]): Recording {
  const draft: Fixture = { ...partial, name: "recording", expect: { status: 0 } };
  const secret = "recording-only";
  const request = signFixture(draft, { github: secret, slack: secret }, Date.now());
  const options = { secrets: [secret], maxDepth: DEFAULT_MAX_DEPTH, now: Date.now() };
  try {
    const result =
      draft.provider === "github" ? receiveGitHub(request, options) : receiveSlack(request, options);
    if (result.kind !== "event")
      return { fixture: { ...draft, expect: { status: 200 } }, name: result.kind, reconstructed };
    const { id, type, source, subject } = result.event.attributes;
    const expect = {
      status: draft.provider === "github" ? 202 : 200,
      event: { id, type, source, ...(subject && { subject }) },
    };
    return { fixture: { ...draft, expect }, name: nameOf(type, result.event.attributes), reconstructed };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return {
      fixture: { ...draft, expect: { status: error.statusCode } },
      name: `${draft.provider}.${error.code}`,
      reconstructed,
    };
  }
}

/**
 * A fixture name from an event type, as the committed fixtures are named.
 *
 * @example
 * nameOf("com.github.pull_request.opened") // "pull_request.opened"
 * nameOf("com.slack.event.app_mention")    // "event_callback.app_mention"
 * nameOf("com.slack.command", { subject: "/deploy" }) // "command.deploy"
 */
export function nameOf(type: string, attributes: Record<string, unknown> = {}): string {
  if (type.startsWith("com.github.")) return type.slice("com.github.".length);
  if (type.startsWith("com.slack.event.")) return `event_callback.${type.slice("com.slack.event.".length)}`;
  if (type === "com.slack.command") {
    const command = typeof attributes.subject === "string" ? attributes.subject.replace(/^\//, "") : "";
    return command ? `command.${command.replace(/[^A-Za-z0-9_-]/g, "_")}` : "command";
  }
  return type.replace(/^com\.slack\./, "");
}
