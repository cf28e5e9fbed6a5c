import type { EmitterWebhookEvent, Webhooks } from "@octokit/webhooks";
import type { GatewayEvent } from "../contract/event";
import { InvalidEventError } from "./errors";
import type { Consumer, ConsumerContext } from "./types";

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

/** A logger for listeners registered only to be recorded. */
const QUIET = { debug() {}, info() {}, warn() {}, error() {} };

/** Listeners written for any `Webhooks<Context>` (with or without `octokit`) register on it. */
// biome-ignore lint/suspicious/noExplicitAny: the context type is the listeners' own; only registrations are recorded.
type AnyWebhooks = Webhooks<any>;

/** What `listenedGitHubTypes` needs of `Webhooks`: the registration methods, recorded. */
type Registrations = Pick<Webhooks, "on" | "onAny" | "onError" | "removeListener">;

/**
 * The gateway types a set of GitHub listeners can handle, found by registering them on a recorder
 * instead of a `Webhooks` instance (nothing of `@octokit/webhooks` is loaded): `on("push")` gives
 * `com.github.push` and `com.github.push.*`, `on("issues.opened")` gives `com.github.issues.opened`,
 * and `onAny` (or registering nothing) gives `com.github.*`. The stack and the local runtime route
 * the GitHub consumer's queue by it, so the edge sends it only events some listener handles.
 *
 * @example
 * listenedGitHubTypes((webhooks) => webhooks.on(["push", "issues.opened"], handle))
 * // ["com.github.push", "com.github.push.*", "com.github.issues.opened"]
 */
export function listenedGitHubTypes(register: (webhooks: AnyWebhooks, logger: never) => void): string[] {
  const names = new Set<string>();
  let any = false;
  const recorder: Registrations = {
    on: ((event: string | string[]) => {
      for (const name of Array.isArray(event) ? event : [event]) names.add(name);
    }) as Webhooks["on"],
    onAny: () => {
      any = true;
    },
    onError: () => undefined,
    removeListener: () => undefined,
  };
  register(recorder as AnyWebhooks, QUIET as never);
  if (any || names.has("*") || names.size === 0) return [`${PREFIX}*`];
  return [...names].flatMap((name) =>
    name.includes(".") ? [`${PREFIX}${name}`] : [`${PREFIX}${name}`, `${PREFIX}${name}.*`],
  );
}

/**
 * GitHub listeners: events from `com.github.*` fed to a `Webhooks` instance on which users
 * register `webhooks.on("pull_request.opened", …)`. Signatures were verified at the edge, so the
 * instance's secret is never used. A listener that throws fails its record (and only it) with the
 * listener's own error (see {@link listenerError}), so logs and reports name the user's file. Built
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
    handler: async (event, context) => {
      try {
        await webhooks.receive(toWebhookEvent(event));
      } catch (error) {
        throw listenerError(error, context.logger);
      }
    },
  };
}

/**
 * The error a listener threw. `@octokit/webhooks` collects listener errors into an
 * `AggregateError` whose stack ends in its own bundle and which carries the whole event (payload
 * included, which must not reach the logs): the first listener error is returned instead, without
 * the `event` the library attached; any others are logged by type and message.
 *
 * @example
 * try { await webhooks.receive(event) } catch (error) { throw listenerError(error, logger) }
 */
export function listenerError(error: unknown, logger?: Pick<ConsumerContext["logger"], "error">): unknown {
  if (!(error instanceof AggregateError) || error.errors.length === 0) return withoutEvent(error);
  const [first, ...others] = error.errors as unknown[];
  for (const other of others) {
    const { name, message } = other instanceof Error ? other : { name: typeof other, message: String(other) };
    logger?.error("Another listener failed for the same event", { errorType: name, errorMessage: message });
  }
  return withoutEvent(first);
}

function withoutEvent(error: unknown): unknown {
  if (error !== null && typeof error === "object" && "event" in error)
    delete (error as { event?: unknown }).event;
  return error;
}
