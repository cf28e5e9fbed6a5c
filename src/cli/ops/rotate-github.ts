import { randomBytes } from "node:crypto";
import {
  type DeliveryTarget,
  deliveriesPath,
  type GitHubClient,
  type HookOwner,
  hooksPath,
} from "../../redelivery/github-target";
import { CodedError } from "../../shared/errors";
import {
  listDeliveries,
  type PingOptions,
  type PingOutcome,
  pingHook,
  waitForDelivery,
} from "./register-github";
import type { SecretStore } from "./secret-store";

export interface RotateGithubOptions extends PingOptions {
  /** A repository or organization hook, or the GitHub App's webhook (`{ kind: "app" }`). */
  target: DeliveryTarget;
  /** How long the edge may keep serving its cached secrets (`SECRETS_TTL_SECONDS`). */
  cacheTtlMs: number;
  /** Retire the old secret this long after the ping; `undefined`: leave it, the caller says how. */
  retireAfterMs?: number;
  /** Where each step is reported (never a secret). */
  onStep?: (line: string) => void;
  /** A new secret (default 32 random bytes, hex). */
  generate?: () => string;
}

/**
 * How the new secret was checked: a hook's ping, or for the App (which has no ping) the
 * redelivery of its newest delivery; `no-delivery`: the App has no delivery to redeliver.
 */
export type HookCheck = PingOutcome | { status: "no-delivery" };

export type RotateGithubResult =
  /** The new secret is in use on both sides and the old one is gone. */
  | { status: "retired"; ping: HookCheck }
  /** GitHub signs with the new secret; the gateway still accepts both until retired. */
  | { status: "retire-pending"; ping: HookCheck }
  /** GitHub holds the new secret but its ping was not answered 2xx: both stay accepted. */
  | { status: "ping-failed"; ping: HookCheck }
  /** The App's webhook had no delivery to redeliver, so nothing checked it: both stay accepted. */
  | { status: "unchecked"; ping: HookCheck };

/** A rotation cannot start: nothing is stored, or a previous rotation is not retired yet. */
export class RotationStateError extends CodedError {
  constructor(message: string) {
    super("rotation_state", message);
  }
}

/** GitHub refused the new secret; the old one alone is stored again. */
export class SecretUpdateRefusedError extends CodedError {
  constructor(message: string, cause: unknown) {
    super("secret_update_refused", message, { cause });
  }
}

/**
 * Rotates a GitHub hook's webhook secret without refusing a delivery, in this order:
 * 1. store the new secret beside the old one (`[new, old]`): the gateway accepts both once its
 *    cached copy expires;
 * 2. wait `cacheTtlMs`, so no edge still knows only the old one;
 * 3. set the new secret on the hook (`PATCH …/hooks/{id}/config`, the App's `PATCH /app/hook/config`
 *    with an App JWT): GitHub signs with it;
 * 4. ask for a ping and check the gateway answered it 2xx (the App's hook has no ping: its newest
 *    delivery is redelivered instead, see {@link checkAppHook}; with none, nothing is checked and
 *    the old secret is not retired: `unchecked`);
 * 5. after `retireAfterMs` (deliveries GitHub signed with the old secret have arrived), store the
 *    new secret alone.
 * If GitHub refuses the update, the old secret alone is stored back. No secret is ever logged.
 *
 * @example
 * await rotateGithubSecret(octokit, secretsManagerStore(client, id), {
 *   target: { kind: "repo", owner: "octo", repo: "hello", hookId: 7 }, cacheTtlMs: 300_000, retireAfterMs: 300_000 });
 * // { status: "retired", ping: { status: "succeeded", statusCode: 200, … } }
 */
export async function rotateGithubSecret(
  github: GitHubClient,
  store: SecretStore,
  options: RotateGithubOptions,
): Promise<RotateGithubResult> {
  const step = options.onStep ?? (() => undefined);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const stored = await store.read();
  if (stored.length === 0) {
    throw new RotationStateError(
      `${store.name} has no value yet: set one first (webhook-gateway secrets set)`,
    );
  }
  if (stored.length > 1) {
    throw new RotationStateError(
      `${store.name} holds ${stored.length} secrets: a rotation is not finished; once GitHub signs with the newest, retire the others (webhook-gateway secrets retire github)`,
    );
  }
  const old = stored[0]!;
  const config = configPath(options.target);
  // Fail before storing anything if the hook cannot be reached (wrong id, token without access).
  const current = await github.request(`GET ${config}`);
  if (options.target.kind === "app") appHookOfGateway(current.data as { url?: unknown }, step);

  const next = (options.generate ?? (() => randomBytes(32).toString("hex")))();
  await store.write([next, old]);
  step(`Stored a new secret beside the current one in ${store.name}; both are accepted.`);
  if (options.cacheTtlMs > 0) {
    step(`Waiting ${seconds(options.cacheTtlMs)} for the edge's cached secrets to expire…`);
    await sleep(options.cacheTtlMs);
  }
  try {
    await github.request(`PATCH ${config}`, { secret: next });
  } catch (error) {
    await store.write([old]);
    throw new SecretUpdateRefusedError(
      `GitHub refused the new secret (${(error as Error).message}); ${store.name} holds the old secret alone again`,
      error,
    );
  }
  const { target } = options;
  const app = target.kind === "app";
  step(`GitHub signs the ${app ? "App's" : "hook's"} deliveries with the new secret now.`);
  const ping =
    target.kind === "app"
      ? await checkAppHook(github, { ...options, onStep: step })
      : await pingHook(github, target, target.hookId, options);
  if (ping.status === "no-delivery") return { status: "unchecked", ping };
  if (ping.status !== "succeeded") return { status: "ping-failed", ping };
  if (options.retireAfterMs === undefined) return { status: "retire-pending", ping };
  if (options.retireAfterMs > 0) {
    const checked = app ? "Redelivery" : "Ping";
    step(
      `${checked} answered ${ping.statusCode}; retiring the old secret in ${seconds(options.retireAfterMs)}…`,
    );
    await sleep(options.retireAfterMs);
  }
  await store.write([next]);
  return { status: "retired", ping };
}

/**
 * The App's webhook has no ping: checks the gateway accepts the new secret by redelivering the
 * App's newest delivery the gateway answered 2xx (else its newest) (`POST /app/hook/deliveries/{id}/attempts`) and waiting for that
 * redelivery (same `guid`, a new id) to appear in `GET /app/hook/deliveries`. The consumers skip
 * it: they already processed that delivery id (idempotency keeps it 7 days; GitHub lists 3).
 * `no-delivery` when the App has none yet (nothing is redelivered).
 *
 * @example
 * await checkAppHook(appOctokit, { pingTimeoutMs: 30_000 })
 * // { status: "succeeded", statusCode: 202, deliveryId: 1003, guid: "…" }
 */
export async function checkAppHook(
  github: GitHubClient,
  options: PingOptions & { onStep?: (line: string) => void } = {},
): Promise<HookCheck> {
  const path = deliveriesPath({ kind: "app" });
  const recent = await listDeliveries(github, path);
  // The newest one the gateway took (the consumers skip it: already processed); else the newest.
  const accepted = recent.find((d) => d.status_code >= 200 && d.status_code < 300);
  const newest = accepted ?? recent[0];
  if (!newest) return { status: "no-delivery" };
  const seen = new Set(recent.map((d) => d.id));
  const effect = accepted
    ? "the consumers skip it: already processed"
    : "it was never accepted, so the consumers process it now";
  options.onStep?.(
    `Redelivering the App's ${accepted ? "newest accepted" : "newest"} delivery ${newest.guid} (${newest.event}) to check the gateway accepts the new secret (${effect}).`,
  );
  await github.request(`POST ${path}/${newest.id}/attempts`);
  return waitForDelivery(github, path, (d) => d.guid === newest.guid && !seen.has(d.id), options);
}

/**
 * The App's webhook must point at a gateway (`…/github`) before its secret is changed: credentials
 * of another App (a development App in `.env`, say) would otherwise rotate that App's hook while
 * the stage stores the new secret. Says where the App's deliveries go.
 */
function appHookOfGateway(config: { url?: unknown }, step: (line: string) => void): void {
  const url = typeof config.url === "string" ? config.url : "";
  if (!/\/github\/?$/.test(url)) {
    throw new NotGatewayHookError(
      `the GitHub App's webhook posts to ${url || "no URL"}, not to a gateway's /github endpoint: nothing was changed (check which App's credentials were used)`,
    );
  }
  step(`The App's webhook posts to ${url}.`);
}

/** The App's webhook does not point at a gateway: its secret is left alone. */
export class NotGatewayHookError extends CodedError {
  constructor(message: string) {
    super("not_gateway_hook", message);
  }
}

/** The webhook configuration route of a hook, or of the App's webhook. */
function configPath(target: DeliveryTarget): string {
  return target.kind === "app" ? "/app/hook/config" : `${hooksPath(target)}/${target.hookId}/config`;
}

/**
 * The id of the gateway's hook on a repository or organization: the one hook whose payload URL
 * ends in `/github` (as `register github` creates it).
 *
 * @example
 * await findGatewayHook(octokit, { kind: "repo", owner: "octo", repo: "hello" }) // 7
 */
export async function findGatewayHook(github: GitHubClient, owner: HookOwner): Promise<number> {
  const hooks = (await github.paginate(`GET ${hooksPath(owner)}`, { per_page: 100 })) as {
    id: number;
    config: { url?: string };
  }[];
  const candidates = hooks.filter((hook) => /\/github\/?$/.test(hook.config.url ?? ""));
  if (candidates.length !== 1) {
    throw new RotationStateError(
      `${candidates.length} hooks with a payload URL ending in /github${candidates.length ? ` (${candidates.map((h) => h.id).join(", ")})` : ""}: name one with --hook-id`,
    );
  }
  return candidates[0]!.id;
}

/**
 * Keeps only the newest secret of a store, ending a rotation. Returns how many were dropped.
 *
 * @example
 * await retireOldSecrets(envFileStore(".env", "GITHUB_WEBHOOK_SECRET")) // 1
 */
export async function retireOldSecrets(store: SecretStore): Promise<number> {
  const stored = await store.read();
  if (stored.length === 0) throw new RotationStateError(`${store.name} has no value: nothing to retire`);
  if (stored.length > 1) await store.write([stored[0]!]);
  return stored.length - 1;
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}
