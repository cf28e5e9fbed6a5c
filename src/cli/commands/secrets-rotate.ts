import { isAbsolute, join } from "node:path";
import { parseArgs } from "node:util";
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import type { GatewayConfig } from "../../config/gateway-config";
import { loadGatewayConfig } from "../../config/load";
import { ENV } from "../../contract/environment";
import { DEFAULT_SECRETS_TTL_SECONDS, LOCAL_SECRETS_TTL_SECONDS } from "../../contract/limits";
import {
  type DeliveryTarget,
  describeTarget,
  type HookOwner,
  parseRepo,
} from "../../redelivery/github-target";
import { UsageError } from "../errors";
import { parseDuration } from "../ops/duration";
import { resolveAppCredentials } from "../ops/github-app-credentials";
import type { GitHubClient } from "../ops/register-github";
import {
  findGatewayHook,
  type RotateGithubResult,
  retireOldSecrets,
  rotateGithubSecret,
} from "../ops/rotate-github";
import { envFileStore, type SecretStore, secretsManagerStore } from "../ops/secret-store";
import { type CommandIO, githubAppClientWith, githubClient, processIO } from "./io";

export const SECRETS_ROTATE_HELP = `Usage: webhook-gateway secrets rotate github (--repo owner/name | --org name | --app) [options]
       webhook-gateway secrets rotate slack
       webhook-gateway secrets retire github|slack [--stage <stage> | --local]

rotate github replaces a hook's webhook secret without refusing a delivery:
  1. generates a new random secret and stores it beside the current one (Secrets Manager
     {"current","previous"}, or ${ENV.githubWebhookSecret}=new,old in .env with --local);
  2. waits for the edge's cached secrets to expire (--cache-ttl);
  3. sets the new secret on the hook (PATCH .../hooks/{id}/config) and checks that a ping is
     answered 2xx;
  4. after --retire-after, stores the new secret alone (with --no-wait: prints the command that does).
If GitHub refuses the new secret, the old one is stored back alone. No secret is ever printed.

With --app (the GitHub App's webhook) every request carries an App JWT; step 3 sets
PATCH /app/hook/config and, as an App's hook has no ping, redelivers the App's newest delivery
the gateway accepted (the consumers skip it: already processed; with none, the newest) and
checks that the redelivery is answered 2xx. An App whose webhook URL does not end in /github is
refused before anything is stored. With
no delivery yet, nothing is checked: a warning says so, both secrets stay accepted and the
retire command is printed (exit 0).

rotate slack prints the manual steps (Slack has no API to rotate a signing secret) and exits 2.
retire keeps only the newest stored secret: run it once the provider signs with that one.

Options:
  --repo <owner/name>        a repository hook
  --org <name>               an organization hook (with --hook-id)
  --hook-id <id>             the hook (default for --repo: the one hook whose URL ends in /github)
  --cache-ttl <duration>     how long the edge caches secrets (default ${ENV.secretsTtlSeconds}, else
                             ${DEFAULT_SECRETS_TTL_SECONDS}s; with --local ${LOCAL_SECRETS_TTL_SECONDS}s, the local runtime's)
  --retire-after <duration>  wait before retiring the old secret (default: the cache TTL); e.g. 5m
  --no-wait                  do not wait to retire; print the exact retire command instead
  --stage <stage>            the stage (default GATEWAY_STAGE, gateway.config.json, then dev)
  --local                    the .env file of the local runtime (npm start re-reads it)
  --env-file <path>          the file --local uses (default .env)
  --api-url <url>            GitHub REST API base URL (default GITHUB_API_URL or https://api.github.com)
  --ping-timeout <s>         seconds to wait for the ping (--app: the redelivery) (default 30)
  --app                      the GitHub App's webhook (not with --repo, --org or --hook-id)
  -h, --help                 this help

Environment: ${ENV.githubToken} (admin:repo_hook or admin:org_hook). With --app, the App's
credentials: for a stage, its App secret {"appId", "privateKey"} (what the deployed consumers
read); when it does not exist, and with --local, ${ENV.githubAppId} and ${ENV.githubAppPrivateKey}
(PEM, \\n-escaped allowed), else the secret ${ENV.githubAppSecretId} names. The command says which
App signs and where its key came from; the key and the JWT are never printed.`;

export const SLACK_ROTATION_STEPS = `Slack signing secrets cannot be rotated through an API. Rotate by hand:
  1. https://api.slack.com/apps > your app > Basic Information > App Credentials > Signing Secret >
     Regenerate. Slack signs with the new secret at once.
  2. Store it beside the old one, right away:
       read -rs S && printf %s "$S" | webhook-gateway secrets set slack --value-from-stdin --rotate [--stage <stage> | --local]
     Until the edge's cache expires (${ENV.secretsTtlSeconds}, ${DEFAULT_SECRETS_TTL_SECONDS} s by default) requests signed
     with the new secret are refused; Slack retries Events API deliveries, but a slash command
     or interaction in that window fails once.
  3. Once requests are accepted, retire the old secret:
       webhook-gateway secrets retire slack [--stage <stage> | --local]`;

const RETIRABLE: Record<string, { secret: "githubWebhook" | "slackSigningSecret"; variable: string }> = {
  github: { secret: "githubWebhook", variable: ENV.githubWebhookSecret },
  slack: { secret: "slackSigningSecret", variable: ENV.slackSigningSecret },
};

export interface SecretsRotateDeps extends Partial<CommandIO> {
  secretsManager?: SecretsManagerClient;
  /** Replaces the Octokit built from GITHUB_TOKEN and --api-url. */
  github?: GitHubClient;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
}

interface Place {
  stage?: string;
  local: boolean;
  "env-file": string;
}

/** `webhook-gateway secrets rotate github|slack`: returns the exit code. */
export async function secretsRotateCommand(argv: string[], deps: SecretsRotateDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      repo: { type: "string" },
      org: { type: "string" },
      "hook-id": { type: "string" },
      "cache-ttl": { type: "string" },
      "retire-after": { type: "string" },
      "no-wait": { type: "boolean", default: false },
      stage: { type: "string" },
      local: { type: "boolean", default: false },
      "env-file": { type: "string", default: ".env" },
      "api-url": { type: "string" },
      "ping-timeout": { type: "string", default: "30" },
      app: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(SECRETS_ROTATE_HELP);
    return 0;
  }
  const [kind, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (kind === "slack") {
    io.out(SLACK_ROTATION_STEPS);
    return 2;
  }
  if (kind !== "github") throw new UsageError("secrets rotate needs github or slack");
  const chosen = rotationTarget(values);
  checkPlace(values);
  const timeout = Number(values["ping-timeout"]);
  if (!Number.isFinite(timeout) || timeout < 0)
    throw new UsageError("--ping-timeout must be a number of seconds");
  if (values["no-wait"] && values["retire-after"])
    throw new UsageError("--no-wait and --retire-after conflict");
  const cacheTtlMs = duration("--cache-ttl", values["cache-ttl"] ?? defaultCacheTtl(io.env, values.local));
  const retireAfterMs = values["no-wait"]
    ? undefined
    : duration("--retire-after", values["retire-after"] ?? `${cacheTtlMs / 1000}s`);

  const github = await rotationClient(io, deps, values, chosen.kind === "app");
  const store = secretStore(io, deps, values, "github");
  const target: DeliveryTarget =
    chosen.kind === "app"
      ? chosen
      : { ...chosen.owner, hookId: chosen.hookId ?? (await findGatewayHook(github, chosen.owner)) };
  const result = await rotateGithubSecret(github, store, {
    target,
    cacheTtlMs,
    retireAfterMs,
    pingTimeoutMs: timeout * 1000,
    pollIntervalMs: deps.pollIntervalMs,
    sleep: deps.sleep,
    onStep: io.out,
  });
  return reportRotation(io, result, { target, timeout, cacheTtlMs, retire: retireCommand("github", values) });
}

/** What `--repo`/`--org` (with `--hook-id`) or `--app` name; the hook id is found later when absent. */
type ChosenTarget = { kind: "app" } | { kind: "hook"; owner: HookOwner; hookId?: number };

function rotationTarget(values: {
  repo?: string;
  org?: string;
  "hook-id"?: string;
  app: boolean;
}): ChosenTarget {
  if (values.app) {
    const others = (["repo", "org", "hook-id"] as const).filter((name) => values[name] !== undefined);
    if (others.length > 0) {
      throw new UsageError(`--app is exclusive with ${others.map((name) => `--${name}`).join(" and ")}`);
    }
    return { kind: "app" };
  }
  if (Boolean(values.repo) === Boolean(values.org))
    throw new UsageError("give exactly one of --repo, --org or --app");
  if (values.org && !values["hook-id"]) throw new UsageError("--org needs --hook-id");
  let owner: HookOwner;
  try {
    owner = values.repo ? parseRepo(values.repo) : { kind: "org", org: values.org! };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const hookId = values["hook-id"] === undefined ? undefined : Number(values["hook-id"]);
  if (hookId !== undefined && (!Number.isInteger(hookId) || hookId < 1)) {
    throw new UsageError("--hook-id must be a positive integer");
  }
  return { kind: "hook", owner, hookId };
}

/**
 * The GitHub client of a rotation: with `GITHUB_TOKEN` for a hook; for `--app`, signing App JWTs
 * with the App's credentials (see `resolveAppCredentials`: for a stage, its App secret first),
 * after saying which App and where its key came from.
 */
async function rotationClient(
  io: CommandIO,
  deps: SecretsRotateDeps,
  values: Place & { "api-url"?: string },
  app: boolean,
): Promise<GitHubClient> {
  if (deps.github) return deps.github;
  if (!app) return githubClient(io.env, values["api-url"]);
  const config = values.local ? undefined : stageConfig(io, values);
  let client: SecretsManagerClient | undefined;
  const { credentials, source } = await resolveAppCredentials({
    env: io.env,
    stageSecret: config?.secretNames.githubApp,
    readSecret: (secretId) => {
      client ??= deps.secretsManager ?? new SecretsManagerClient(config ? { region: config.region } : {});
      return readSecretString(client, secretId);
    },
  });
  io.out(`Signing as GitHub App ${credentials.appId} (its id and key from ${source}).`);
  return githubAppClientWith(credentials, io.env, values["api-url"]);
}

async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string | undefined> {
  try {
    return (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString ?? "";
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** Prints how the rotation ended; returns the exit code. */
function reportRotation(
  io: CommandIO,
  result: RotateGithubResult,
  context: { target: DeliveryTarget; timeout: number; cacheTtlMs: number; retire: string },
): number {
  const { target, retire } = context;
  const name = describeTarget(target);
  const app = target.kind === "app";
  const { ping } = result;
  if (ping.status === "no-delivery") {
    io.err(
      `Warning: ${name} has no delivery to redeliver, so nothing checked that the gateway accepts the new secret.`,
    );
    io.err(
      `Both secrets stay accepted. Once a delivery is answered 2xx (the App's settings > Advanced > Recent Deliveries), run: ${retire}`,
    );
    return 0;
  }
  if (ping.status !== "succeeded") {
    const check = app ? `The redelivery to ${name}` : `The ping of ${name}`;
    io.err(
      ping.status === "failed"
        ? `${check} was answered ${ping.statusCode || "with nothing"}, not 2xx.`
        : `No ${app ? "redelivery" : "ping delivery"} of ${name} within ${context.timeout} s.`,
    );
    io.err(`Both secrets stay accepted. Once deliveries succeed, run: ${retire}`);
    return 1;
  }
  if (result.status === "retire-pending") {
    io.out(
      `${app ? "Redelivery" : "Ping"} answered ${ping.statusCode}. Both secrets stay accepted; once deliveries signed with the old one have arrived (${context.cacheTtlMs / 1000} s), run: ${retire}`,
    );
    return 0;
  }
  io.out(`Rotated the webhook secret of ${name}: the old secret is retired.`);
  return 0;
}

/** `webhook-gateway secrets retire github|slack`: returns the exit code. */
export async function secretsRetireCommand(argv: string[], deps: SecretsRotateDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stage: { type: "string" },
      local: { type: "boolean", default: false },
      "env-file": { type: "string", default: ".env" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(SECRETS_ROTATE_HELP);
    return 0;
  }
  const [kind, ...extra] = positionals;
  if (!kind || !Object.hasOwn(RETIRABLE, kind)) throw new UsageError("secrets retire needs github or slack");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  checkPlace(values);
  const store = secretStore(io, deps, values, kind);
  const dropped = await retireOldSecrets(store);
  io.out(
    dropped === 0
      ? `${store.name} holds one secret: nothing to retire.`
      : `Retired the old secret: ${store.name} holds the newest alone.`,
  );
  return 0;
}

function checkPlace(values: Place): void {
  if (values.local && values.stage) throw new UsageError("--stage does not apply with --local");
}

function duration(name: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
}

function defaultCacheTtl(env: CommandIO["env"], local: boolean): string {
  const configured = env[ENV.secretsTtlSeconds]?.trim();
  return configured || `${local ? LOCAL_SECRETS_TTL_SECONDS : DEFAULT_SECRETS_TTL_SECONDS}s`;
}

function secretStore(io: CommandIO, deps: SecretsRotateDeps, values: Place, kind: string): SecretStore {
  const { secret, variable } = RETIRABLE[kind]!;
  if (values.local) {
    const file = values["env-file"];
    return envFileStore(isAbsolute(file) ? file : join(io.cwd, file), variable, file);
  }
  const config = stageConfig(io, values);
  const client = deps.secretsManager ?? new SecretsManagerClient({ region: config.region });
  return secretsManagerStore(client, config.secretNames[secret]);
}

/** The gateway's configuration for `--stage` (else `GATEWAY_STAGE`, gateway.config.json, dev). */
function stageConfig(io: CommandIO, values: Place): GatewayConfig {
  return loadGatewayConfig({
    root: io.cwd,
    env: { ...io.env, ...(values.stage ? { GATEWAY_STAGE: values.stage } : {}) },
  });
}

/** The exact command that retires the old secret of the same place. */
function retireCommand(kind: string, values: Place): string {
  const place = values.local
    ? ` --local${values["env-file"] === ".env" ? "" : ` --env-file ${values["env-file"]}`}`
    : values.stage
      ? ` --stage ${values.stage}`
      : "";
  return `webhook-gateway secrets retire ${kind}${place}`;
}
