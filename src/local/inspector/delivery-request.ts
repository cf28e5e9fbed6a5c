import type { ArchivedEvent } from "../../consumers";
import type { Provider } from "../../contract/event";
import type { Fixture } from "../../fixtures/fixture";
import { CodedError } from "../../shared/errors";
import type { RequestEntry } from "./journal";
import { acceptedStatus } from "./rows";

/** The delivery cannot be rebuilt: its request is not in memory and its event cannot be re-signed as sent. */
export class NotReplayableError extends CodedError {
  constructor(id: string, why: string) {
    super("not_replayable", `${id}: ${why}`);
  }
}

/** Headers that are the transport's or a signature's, never part of a recorded delivery. */
const DROPPED_HEADERS = new Set([
  "host",
  "content-length",
  "connection",
  "transfer-encoding",
  "accept-encoding",
  "x-hub-signature",
  "x-hub-signature-256",
  "x-slack-signature",
  "x-slack-request-timestamp",
  "authorization",
  "cookie",
  "origin",
  "referer",
]);

/**
 * A delivery as a fixture (the shape of `src/fixtures/fixture.ts`, unsigned, no secret): from the
 * request this process received when it is still in memory, or else, for GitHub, rebuilt from the
 * archived event (its payload as the JSON body, `X-GitHub-Event` and `X-GitHub-Delivery` from the
 * type and id: the same event id, so a replay is a redelivery). Slack's verification `token` field
 * is blanked.
 *
 * @example
 * const fixture = deliveryFixture("github:72d3…", journal.acceptedEntry("github:72d3…"), archived);
 * signFixture(fixture, { github: secret }, Date.now());
 */
export function deliveryFixture(
  id: string,
  entry: RequestEntry | undefined,
  archived?: ArchivedEvent,
): Fixture {
  const request = entry?.request;
  if (request && !request.dropped) {
    const provider = (entry.provider ?? request.path.slice(1)) as Provider;
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase())),
    );
    const scrubbed = scrubToken(request.body, request.bodyEncoding, headers["content-type"]);
    const a = entry.attributes;
    const sameBody = scrubbed === request.body || id.startsWith("github:") || /^slack:Ev/.test(id);
    return {
      name: `${provider}/${typeName(a?.type ?? provider, provider)}`,
      provider,
      request: {
        path: request.path,
        headers,
        body: scrubbed,
        ...(request.bodyEncoding === "base64" && { bodyEncoding: "base64" as const }),
      },
      expect: {
        status: entry.status ?? acceptedStatus(provider) ?? 200,
        ...(a && {
          event: { ...(sameBody && { id: a.id }), type: a.type, source: a.source, subject: a.subject },
        }),
      },
    };
  }
  if (archived && id.startsWith("github:")) return rebuiltGitHub(archived);
  throw new NotReplayableError(
    id,
    "its request is no longer in memory and only GitHub deliveries can be rebuilt from the archive",
  );
}

function rebuiltGitHub(archived: ArchivedEvent): Fixture {
  const { event } = archived;
  if (archived.truncated || event.data === undefined)
    throw new NotReplayableError(event.id, "the archive holds no payload");
  const data = event.data as { action?: unknown };
  const action = typeof data.action === "string" ? `.${data.action}` : "";
  const rest = event.type.slice("com.github.".length);
  const name = action && rest.endsWith(action) ? rest.slice(0, -action.length) : rest;
  const hookId =
    typeof event.hookid === "string" || typeof event.hookid === "number" ? String(event.hookid) : undefined;
  return {
    name: `github/${typeName(event.type, "github")}`,
    provider: "github",
    request: {
      headers: {
        "content-type": "application/json",
        "x-github-event": name,
        "x-github-delivery": event.id.slice("github:".length),
        ...(hookId && { "x-github-hook-id": hookId }),
        "user-agent": "GitHub-Hookshot/webhook-gateway-inspector",
      },
      body: JSON.stringify(event.data),
    },
    expect: {
      status: 202,
      event: { id: event.id, type: event.type, source: event.source, subject: event.subject },
    },
  };
}

/** `com.github.pull_request.opened` → `pull_request.opened` (a fixture's file name). */
export function typeName(type: string, provider: string): string {
  const prefix = `com.${provider}.`;
  const name = type.startsWith(prefix) ? type.slice(prefix.length) : type;
  return name.replace(/[^A-Za-z0-9._-]/g, "_") || provider;
}

/** Blanks Slack's legacy verification token in JSON and form bodies (a secret, unused by the gateway). */
function scrubToken(body: string, encoding: "utf8" | "base64", contentType = ""): string {
  if (encoding === "base64") return body;
  const json = (text: string) => text.replace(/("token"\s*:\s*")[^"]*(")/g, "$1XXYYZZ$2");
  if (!/x-www-form-urlencoded/i.test(contentType)) return json(body);
  const form = new URLSearchParams(body);
  if (!form.has("token") && !form.has("payload")) return body;
  if (form.has("token")) form.set("token", "XXYYZZ");
  const payload = form.get("payload");
  if (payload !== null) form.set("payload", json(payload));
  const rebuilt = form.toString();
  return rebuilt === new URLSearchParams(body).toString() ? body : rebuilt;
}
