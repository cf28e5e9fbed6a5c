import {
  type GitHubClient,
  type HookDelivery,
  type HookOwner,
  hooksPath,
} from "../../redelivery/github-target";

export type { GitHubClient };

export interface RegisterGithubOptions extends PingOptions {
  owner: HookOwner;
  /** The full payload URL, `<gateway base URL>/github`. */
  url: string;
  events: string[];
  secret: string;
  /** PATCH even when nothing visible differs (GitHub never returns the secret: use to set a new one). */
  force?: boolean;
  /** Do not request or wait for a ping: then an unchanged hook costs no write at all. */
  skipPing?: boolean;
}

export type PingOutcome =
  | { status: "succeeded" | "failed"; statusCode: number; deliveryId: number; guid: string }
  | { status: "timeout" }
  | { status: "skipped" };

export interface RegisterGithubResult {
  action: "created" | "updated" | "unchanged";
  hookId: number;
  ping: PingOutcome;
}

interface Hook {
  id: number;
  active: boolean;
  events: string[];
  config: { url?: string; content_type?: string; insecure_ssl?: string | number; secret?: string };
}

/**
 * Creates or updates the gateway's webhook on a repository or organization, idempotently: the hook
 * is found by its payload URL; it is created when absent and updated only when its events, active
 * flag or configuration differ, so a second run writes nothing. Then it waits for a `ping`
 * delivery (sent by GitHub on creation, requested with `POST …/pings` otherwise) and reports it.
 *
 * @example
 * await registerGithubHook(octokit, { owner: { kind: "repo", owner: "octo", repo: "hello" },
 *   url: "https://abc.lambda-url.us-east-1.on.aws/github", events: ["push"], secret });
 * // { action: "created", hookId: 1, ping: { status: "succeeded", statusCode: 200, … } }
 */
export async function registerGithubHook(
  github: GitHubClient,
  options: RegisterGithubOptions,
): Promise<RegisterGithubResult> {
  const path = hooksPath(options.owner);
  const hooks = (await github.paginate(`GET ${path}`, { per_page: 100 })) as Hook[];
  const existing = hooks.find((hook) => hook.config.url === options.url);
  const config = { url: options.url, content_type: "json", insecure_ssl: "0", secret: options.secret };
  const events = [...new Set(options.events)].sort();
  let action: RegisterGithubResult["action"];
  let hookId: number;
  if (!existing) {
    const { data } = await github.request(`POST ${path}`, { name: "web", active: true, events, config });
    hookId = (data as Hook).id;
    action = "created";
  } else {
    hookId = existing.id;
    action = options.force || differs(existing, events) ? "updated" : "unchanged";
    if (action === "updated") {
      // The whole config is sent: a PATCH whose config omits the secret would remove it.
      await github.request(`PATCH ${path}/${hookId}`, { active: true, events, config });
    }
    if (options.skipPing) return { action, hookId, ping: { status: "skipped" } };
    return { action, hookId, ping: await pingHook(github, options.owner, hookId, options) };
  }
  if (options.skipPing) return { action, hookId, ping: { status: "skipped" } };
  const ping = await waitForDelivery(github, `${path}/${hookId}/deliveries`, isPing(new Set()), options);
  return { action, hookId, ping };
}

export interface PingOptions {
  /** How long to wait for the ping delivery (default 30 s). */
  pingTimeoutMs?: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Asks GitHub to ping a hook (`POST …/hooks/{id}/pings`) and waits for that ping's delivery to
 * report how the gateway answered.
 *
 * @example
 * await pingHook(octokit, { kind: "repo", owner: "octo", repo: "hello" }, 7)
 * // { status: "succeeded", statusCode: 200, deliveryId: 1001, guid: "…" }
 */
export async function pingHook(
  github: GitHubClient,
  owner: HookOwner,
  hookId: number,
  options: PingOptions = {},
): Promise<PingOutcome> {
  const path = `${hooksPath(owner)}/${hookId}`;
  // Deliveries already there are not the answer to the ping we are about to request.
  const seen = new Set((await listDeliveries(github, `${path}/deliveries`)).map((d) => d.id));
  await github.request(`POST ${path}/pings`);
  return waitForDelivery(github, `${path}/deliveries`, isPing(seen), options);
}

function differs(hook: Hook, events: string[]): boolean {
  const current = [...new Set(hook.events)].sort();
  return (
    !hook.active ||
    current.join(",") !== events.join(",") ||
    hook.config.content_type !== "json" ||
    String(hook.config.insecure_ssl ?? "0") !== "0" ||
    // GitHub masks a set secret as "********"; absent means the hook has none.
    !hook.config.secret
  );
}

/**
 * The recent delivery attempts of a hook, newest first (`GET …/deliveries`, one page of 30).
 *
 * @example
 * await listDeliveries(octokit, "/app/hook/deliveries") // [{ id: 1002, guid: "…", status_code: 202, … }, …]
 */
export async function listDeliveries(github: GitHubClient, path: string): Promise<HookDelivery[]> {
  const { data } = await github.request(`GET ${path}`, { per_page: 30 });
  return data as HookDelivery[];
}

/** A ping delivery that is not one of `seen`. */
function isPing(seen: Set<number>): (delivery: HookDelivery) => boolean {
  return (delivery) => delivery.event === "ping" && !seen.has(delivery.id);
}

/**
 * Lists a hook's deliveries until one matches (`succeeded` when it was answered 2xx, else `failed`)
 * or `pingTimeoutMs` has passed (`timeout`).
 *
 * @example
 * await waitForDelivery(octokit, "/app/hook/deliveries", (d) => d.redelivery && d.guid === guid)
 * // { status: "succeeded", statusCode: 202, deliveryId: 1003, guid }
 */
export async function waitForDelivery(
  github: GitHubClient,
  path: string,
  matches: (delivery: HookDelivery) => boolean,
  options: PingOptions,
): Promise<PingOutcome> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const deadline = now() + (options.pingTimeoutMs ?? 30_000);
  for (;;) {
    const found = (await listDeliveries(github, path)).find(matches);
    if (found) {
      const ok = found.status_code >= 200 && found.status_code < 300;
      return {
        status: ok ? "succeeded" : "failed",
        statusCode: found.status_code,
        deliveryId: found.id,
        guid: found.guid,
      };
    }
    if (now() >= deadline) return { status: "timeout" };
    await sleep(options.pollIntervalMs ?? 1000);
  }
}
