import { randomBytes } from "node:crypto";
import { type GitHubClient, type HookOwner, hooksPath } from "../../redelivery/github-target";
import { CodedError } from "../../shared/errors";
import { type PingOptions, type PingOutcome, pingHook } from "./register-github";
import type { SecretStore } from "./secret-store";

export interface RotateGithubOptions extends PingOptions {
  owner: HookOwner;
  hookId: number;
  /** How long the edge may keep serving its cached secrets (`SECRETS_TTL_SECONDS`). */
  cacheTtlMs: number;
  /** Retire the old secret this long after the ping; `undefined`: leave it, the caller says how. */
  retireAfterMs?: number;
  /** Where each step is reported (never a secret). */
  onStep?: (line: string) => void;
  /** A new secret (default 32 random bytes, hex). */
  generate?: () => string;
}

export type RotateGithubResult =
  /** The new secret is in use on both sides and the old one is gone. */
  | { status: "retired"; ping: PingOutcome }
  /** GitHub signs with the new secret; the gateway still accepts both until retired. */
  | { status: "retire-pending"; ping: PingOutcome }
  /** GitHub holds the new secret but its ping was not answered 2xx: both stay accepted. */
  | { status: "ping-failed"; ping: PingOutcome };

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
 * 3. set the new secret on the hook (`PATCH …/hooks/{id}/config`): GitHub signs with it;
 * 4. ask for a ping and check the gateway answered it 2xx;
 * 5. after `retireAfterMs` (deliveries GitHub signed with the old secret have arrived), store the
 *    new secret alone.
 * If GitHub refuses the update, the old secret alone is stored back. No secret is ever logged.
 *
 * @example
 * await rotateGithubSecret(octokit, secretsManagerStore(client, id), {
 *   owner: { kind: "repo", owner: "octo", repo: "hello" }, hookId: 7, cacheTtlMs: 300_000, retireAfterMs: 300_000 });
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
  const hookPath = `${hooksPath(options.owner)}/${options.hookId}`;
  // Fail before storing anything if the hook cannot be reached (wrong id, token without access).
  await github.request(`GET ${hookPath}/config`);

  const next = (options.generate ?? (() => randomBytes(32).toString("hex")))();
  await store.write([next, old]);
  step(`Stored a new secret beside the current one in ${store.name}; both are accepted.`);
  if (options.cacheTtlMs > 0) {
    step(`Waiting ${seconds(options.cacheTtlMs)} for the edge's cached secrets to expire…`);
    await sleep(options.cacheTtlMs);
  }
  try {
    await github.request(`PATCH ${hookPath}/config`, { secret: next });
  } catch (error) {
    await store.write([old]);
    throw new SecretUpdateRefusedError(
      `GitHub refused the new secret (${(error as Error).message}); ${store.name} holds the old secret alone again`,
      error,
    );
  }
  step(`GitHub signs the hook's deliveries with the new secret now.`);
  const ping = await pingHook(github, options.owner, options.hookId, options);
  if (ping.status !== "succeeded") return { status: "ping-failed", ping };
  if (options.retireAfterMs === undefined) return { status: "retire-pending", ping };
  if (options.retireAfterMs > 0) {
    step(`Ping answered ${ping.statusCode}; retiring the old secret in ${seconds(options.retireAfterMs)}…`);
    await sleep(options.retireAfterMs);
  }
  await store.write([next]);
  return { status: "retired", ping };
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
