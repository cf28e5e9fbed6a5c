/**
 * Where a GitHub webhook lives (a repository, an organization, or a GitHub App) and the REST
 * routes that reach its hooks and deliveries.
 * https://docs.github.com/en/rest/repos/webhooks, /rest/orgs/webhooks, /rest/apps/webhooks
 */
import type { Octokit } from "@octokit/rest";
import { InvalidRepoError } from "./errors";

/** The part of Octokit the operations use (tests point it at a local fake with `baseUrl`). */
export type GitHubClient = Pick<Octokit, "request" | "paginate">;

/** A repository or an organization: the owners of hooks we can create. */
export type HookOwner = { kind: "repo"; owner: string; repo: string } | { kind: "org"; org: string };

/** A hook whose deliveries we can list: a repository or organization hook, or the App's hook. */
export type DeliveryTarget = (HookOwner & { hookId: number }) | { kind: "app" };

/**
 * The hooks collection path of an owner.
 *
 * @example
 * hooksPath({ kind: "repo", owner: "octo", repo: "hello" }) // "/repos/octo/hello/hooks"
 */
export function hooksPath(owner: HookOwner): string {
  return owner.kind === "repo"
    ? `/repos/${encodeURIComponent(owner.owner)}/${encodeURIComponent(owner.repo)}/hooks`
    : `/orgs/${encodeURIComponent(owner.org)}/hooks`;
}

/**
 * The deliveries collection path of a hook.
 *
 * @example
 * deliveriesPath({ kind: "org", org: "octo", hookId: 7 }) // "/orgs/octo/hooks/7/deliveries"
 * deliveriesPath({ kind: "app" })                        // "/app/hook/deliveries"
 */
export function deliveriesPath(target: DeliveryTarget): string {
  return target.kind === "app" ? "/app/hook/deliveries" : `${hooksPath(target)}/${target.hookId}/deliveries`;
}

/**
 * A short human name for messages.
 *
 * @example
 * describeTarget({ kind: "repo", owner: "octo", repo: "hello" }) // "octo/hello"
 */
export function describeTarget(target: HookOwner | DeliveryTarget): string {
  if (target.kind === "app") return "the GitHub App";
  const name = target.kind === "repo" ? `${target.owner}/${target.repo}` : `organization ${target.org}`;
  return "hookId" in target ? `hook ${target.hookId} of ${name}` : name;
}

/**
 * Parses `owner/name`.
 *
 * @example
 * parseRepo("octo/hello") // { kind: "repo", owner: "octo", repo: "hello" }
 */
export function parseRepo(value: string): HookOwner & { kind: "repo" } {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (!match) throw new InvalidRepoError(value);
  return { kind: "repo", owner: match[1]!, repo: match[2]! };
}

/** One delivery attempt as listed by the deliveries endpoints. */
export interface HookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status: string;
  status_code: number;
  event: string;
  action?: string | null;
}
