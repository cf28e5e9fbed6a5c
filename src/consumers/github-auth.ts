import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { type EmitterWebhookEvent, Webhooks } from "@octokit/webhooks";
import { ENV } from "../contract/environment";
import { ConfigError } from "../shared/errors";
import type { ConsumerLambdaConfig } from "./config";
import { ConsumerError } from "./errors";

/**
 * What GitHub listeners call GitHub as: a GitHub App (an installation token per event, from the
 * payload's `installation.id`) or a plain token (a PAT, or any token the REST API accepts).
 */
export type GitHubCredentials = { appId: string; privateKey: string } | { token: string };

/** What every GitHub listener receives besides `{ id, name, payload }`, named as `@octokit/app` and Probot name it. */
export interface GitHubListenerContext {
  /** Authenticated as the App's installation that sent the event, or with the configured token. */
  octokit: Octokit;
}

/** The `@octokit/webhooks` instance GitHub listeners are registered on. */
export type GitHubWebhooks = Webhooks<GitHubListenerContext>;

/** The configuration that says where the listeners' credentials are. */
export type GitHubAuthSettings = Pick<
  ConsumerLambdaConfig,
  "githubAppId" | "githubAppPrivateKey" | "githubAppSecretId" | "githubToken"
>;

const SETUP_HINT =
  `set ${ENV.githubAppId} and ${ENV.githubAppPrivateKey} (a GitHub App), or ${ENV.githubToken}; ` +
  `deployed, put {"appId": …, "privateKey": …} in the secret ${ENV.githubAppSecretId} names`;

/**
 * A listener used `octokit` and it cannot call GitHub: nothing is configured
 * (`github_auth_not_configured`), the App's credentials could not be read
 * (`github_credentials_unavailable`), or the App is configured and the event came from no
 * installation (`github_no_installation`). Like any listener error, it fails the record.
 *
 * @example
 * webhooks.on("issues.opened", ({ octokit }) => octokit.rest.issues.get(…)); // throws GitHubAuthError when unconfigured
 */
export class GitHubAuthError extends ConsumerError {}

/**
 * Private keys kept in `.env` or a JSON secret often have their line breaks written `\n`.
 *
 * @example
 * normalizePrivateKey("-----BEGIN RSA PRIVATE KEY-----\\nMIIE…") // "-----BEGIN RSA PRIVATE KEY-----\nMIIE…"
 */
export function normalizePrivateKey(value: string): string {
  return value.replace(/\\n/g, "\n").trim();
}

/**
 * Reads a credentials secret: JSON `{"appId", "privateKey"}` (also `app_id`/`private_key`), JSON
 * `{"token"}`, or the token itself as plain text.
 *
 * @example
 * parseGitHubCredentials('{"appId": 123, "privateKey": "-----BEGIN…"}') // { appId: "123", privateKey: "-----BEGIN…" }
 * parseGitHubCredentials("ghp_abc") // { token: "ghp_abc" }
 */
export function parseGitHubCredentials(value: string): GitHubCredentials {
  const text = value.trim();
  if (!text.startsWith("{")) {
    if (!text) throw new ConfigError(ENV.githubAppSecretId, "the secret is empty");
    return { token: text };
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new ConfigError(ENV.githubAppSecretId, "the secret is not valid JSON", { cause });
  }
  const appId = parsed.appId ?? parsed.app_id;
  const privateKey = parsed.privateKey ?? parsed.private_key;
  if (
    (typeof appId === "string" || typeof appId === "number") &&
    typeof privateKey === "string" &&
    privateKey
  ) {
    return { appId: String(appId), privateKey: normalizePrivateKey(privateKey) };
  }
  if (typeof parsed.token === "string" && parsed.token) return { token: parsed.token };
  throw new ConfigError(
    ENV.githubAppSecretId,
    'the secret holds neither {"appId", "privateKey"} nor {"token"}',
  );
}

/**
 * The credentials loader the configuration asks for: the App inline, the App's secret (read on
 * first use and kept for the life of the process; a failed read is not kept, so the next event
 * tries again), or a token, in that order; `undefined` when none is set.
 *
 * @example
 * const credentials = configuredGitHubCredentials({ githubAppId: "123", githubAppPrivateKey: pem });
 * await credentials?.() // { appId: "123", privateKey: "-----BEGIN…" }
 */
export function configuredGitHubCredentials(
  settings: GitHubAuthSettings,
  secretsManager?: SecretsManagerClient,
): (() => Promise<GitHubCredentials>) | undefined {
  const { githubAppId, githubAppPrivateKey, githubAppSecretId, githubToken } = settings;
  if (githubAppId && githubAppPrivateKey) {
    return fixed({ appId: githubAppId, privateKey: normalizePrivateKey(githubAppPrivateKey) });
  }
  if (githubAppSecretId) {
    const client = secretsManager ?? new SecretsManagerClient({});
    let pending: Promise<GitHubCredentials> | undefined;
    return () => {
      pending ??= readCredentialsSecret(client, githubAppSecretId).catch((error) => {
        pending = undefined;
        throw error;
      });
      return pending;
    };
  }
  return githubToken ? fixed({ token: githubToken }) : undefined;
}

function fixed(credentials: GitHubCredentials): () => Promise<GitHubCredentials> {
  const value = Promise.resolve(credentials);
  return () => value;
}

async function readCredentialsSecret(
  client: SecretsManagerClient,
  secretId: string,
): Promise<GitHubCredentials> {
  const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  return parseGitHubCredentials(output.SecretString ?? "");
}

export interface OctokitFactoryOptions {
  /** From {@link configuredGitHubCredentials}; absent: every `octokit` throws `github_auth_not_configured`. */
  credentials?: () => Promise<GitHubCredentials>;
  /** REST API base URL (`GITHUB_API_URL`); default https://api.github.com. */
  baseUrl?: string;
}

/**
 * The `octokit` for one event. As an App: authenticated as `payload.installation.id`, its token
 * fetched by `@octokit/auth-app` on the first request and then served from auth-app's cache
 * (shared by every event, concurrent first requests included) for 59 minutes, a minute less than
 * GitHub's token lifetime;
 * no request, no token. With a token: one Octokit for every event. Otherwise, or when the
 * credentials cannot be read, an `octokit` that throws a {@link GitHubAuthError} on use, so
 * listeners that never call GitHub are unaffected.
 *
 * @example
 * const octokitFor = createOctokitFactory({ credentials: configuredGitHubCredentials(config), baseUrl: config.githubApiUrl });
 * const octokit = await octokitFor({ id, name: "issues", payload }); // acts as payload.installation.id
 */
export function createOctokitFactory(
  options: OctokitFactoryOptions,
): (event: Pick<EmitterWebhookEvent, "payload">) => Promise<Octokit> {
  const { credentials, baseUrl } = options;
  if (!credentials) {
    const unconfigured = unavailableOctokit(
      new GitHubAuthError(
        "github_auth_not_configured",
        `GitHub listeners have no credentials: ${SETUP_HINT}`,
      ),
    );
    return async () => unconfigured;
  }
  const clients = new WeakMap<GitHubCredentials, (installationId: number | undefined) => Promise<Octokit>>();
  return async (event) => {
    let loaded: GitHubCredentials;
    try {
      loaded = await credentials();
    } catch (cause) {
      return unavailableOctokit(
        new GitHubAuthError("github_credentials_unavailable", "The GitHub credentials could not be read", {
          cause,
        }),
      );
    }
    let client = clients.get(loaded);
    if (!client) {
      client = "token" in loaded ? tokenClient(loaded.token, baseUrl) : appClient(loaded, baseUrl);
      clients.set(loaded, client);
    }
    return client(installationIdOf(event.payload));
  };
}

function tokenClient(token: string, baseUrl: string | undefined) {
  const octokit = Promise.resolve(new Octokit({ auth: token, ...(baseUrl ? { baseUrl } : {}) }));
  return () => octokit;
}

/** One app-level auth; each installation's Octokit shares its options, hence its token cache. */
function appClient(app: { appId: string; privateKey: string }, baseUrl: string | undefined) {
  const octokitOptions = baseUrl ? { baseUrl } : {};
  const appAuth = createAppAuth({
    appId: app.appId,
    privateKey: app.privateKey,
    request: new Octokit(octokitOptions).request,
  });
  return async (installationId: number | undefined): Promise<Octokit> => {
    if (installationId === undefined) {
      return unavailableOctokit(
        new GitHubAuthError(
          "github_no_installation",
          "The event has no payload.installation: it was not delivered by a GitHub App installation",
        ),
      );
    }
    return appAuth({
      type: "installation",
      installationId,
      factory: (auth) => new Octokit({ ...octokitOptions, authStrategy: createAppAuth, auth }),
    });
  };
}

function installationIdOf(payload: unknown): number | undefined {
  const installation = (payload as { installation?: { id?: unknown } } | null)?.installation;
  return typeof installation?.id === "number" ? installation.id : undefined;
}

const OCTOKIT_MEMBERS = ["request", "graphql", "rest", "paginate", "auth", "hook", "log"] as const;

/**
 * An `octokit` that throws `error` as soon as a listener uses it (its members are getters, not
 * enumerable, so logging or serializing the event does not trip them).
 */
function unavailableOctokit(error: GitHubAuthError): Octokit {
  const octokit = {};
  for (const member of OCTOKIT_MEMBERS) {
    Object.defineProperty(octokit, member, {
      get: () => {
        throw error;
      },
    });
  }
  return octokit as Octokit;
}

/**
 * The `@octokit/webhooks` instance of GitHub listeners: each handler receives
 * `{ id, name, payload, octokit }` (the `transform` `@octokit/app` uses). Signatures were verified
 * at the edge, so the secret is never used. The `octokit` is made once per event, however many
 * handlers match it.
 *
 * @example
 * const webhooks = createGitHubWebhooks(createOctokitFactory({ credentials, baseUrl }));
 * webhooks.on("issues.opened", async ({ payload, octokit }) => {
 *   await octokit.rest.issues.addLabels({ owner: "octo", repo: "hello", issue_number: payload.issue.number, labels: ["triage"] });
 * });
 */
export function createGitHubWebhooks(
  octokitFor: (event: EmitterWebhookEvent) => Promise<Octokit>,
): GitHubWebhooks {
  const perEvent = new WeakMap<EmitterWebhookEvent, Promise<Octokit>>();
  return new Webhooks<GitHubListenerContext>({
    // The constructor insists on a secret; verification happened at the edge.
    secret: "verified-at-the-edge",
    transform: async (event) => {
      let octokit = perEvent.get(event);
      if (!octokit) {
        octokit = octokitFor(event);
        perEvent.set(event, octokit);
      }
      return { ...event, octokit: await octokit };
    },
  });
}
