import type { EmitterWebhookEvent, Webhooks } from "@octokit/webhooks";
import type { GatewayEvent } from "../contract/event";
import { InvalidEventError } from "./errors";
import type { Consumer } from "./types";

const PREFIX = "com.github.";

/**
 * The GitHub event name in a gateway type: `com.github.<name>[.<action>]` → `<name>`.
 *
 * @example
 * githubEventName("com.github.pull_request.opened") // "pull_request"
 */
export function githubEventName(type: string): string {
  const name = type.startsWith(PREFIX) ? type.slice(PREFIX.length).split(".")[0] : undefined;
  if (!name) throw new InvalidEventError("not_a_github_type");
  return name;
}

/**
 * The delivery as `@octokit/webhooks` receives it: `id` is the `X-GitHub-Delivery` guid, `name`
 * the `X-GitHub-Event` name, `payload` the body GitHub sent.
 *
 * @example
 * toWebhookEvent(event) // { id: "72d3162e-…", name: "pull_request", payload: { action: "opened", … } }
 */
export function toWebhookEvent(event: GatewayEvent): EmitterWebhookEvent {
  const id = event.id.startsWith("github:") ? event.id.slice("github:".length) : event.id;
  if (event.data === null || typeof event.data !== "object") throw new InvalidEventError("missing_data");
  return { id, name: githubEventName(event.type), payload: event.data } as EmitterWebhookEvent;
}

/**
 * GitHub listeners: events from `com.github.*` fed to a `Webhooks` instance on which users
 * register `webhooks.on("pull_request.opened", …)`. Signatures were verified at the edge, so the
 * instance's secret is never used. A listener that throws fails its record (and only it). Built
 * with `createGitHubWebhooks` (github-auth.ts), handlers also receive an authenticated `octokit`.
 *
 * @example
 * const webhooks = createGitHubWebhooks(createOctokitFactory({ credentials: configuredGitHubCredentials(config) }));
 * webhooks.on("issues.opened", async ({ payload, octokit }) => triage(octokit, payload.issue));
 * const consumer = createGitHubConsumer(webhooks);
 */
export function createGitHubConsumer(webhooks: Webhooks<unknown>, name = "github"): Consumer {
  return {
    name,
    filter: { types: [`${PREFIX}*`] },
    handler: (event) => webhooks.receive(toWebhookEvent(event)),
  };
}
