import { normalizePrivateKey, parseGitHubCredentials } from "../../consumers/github-auth";
import { ENV } from "../../contract/environment";
import { CodedError } from "../../shared/errors";
import { MissingVariableError } from "../errors";

/** What signs an App JWT. */
export interface AppCredentials {
  appId: string;
  privateKey: string;
}

/** Where {@link resolveAppCredentials} looks, besides the environment. */
export interface AppCredentialsSources {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a Secrets Manager secret's string (`undefined`: the secret does not exist). */
  readSecret: (secretId: string) => Promise<string | undefined>;
  /** The stage's App secret the deployed consumers read (`secretNames.githubApp`); none with `--local`. */
  stageSecret?: string;
}

/** The App's credentials were found but are not usable: a token instead of `{appId, privateKey}`, or no secret. */
export class AppCredentialsError extends CodedError {
  constructor(message: string) {
    super("app_credentials", message);
  }
}

const HINT = `set ${ENV.githubAppId} and ${ENV.githubAppPrivateKey}, or ${ENV.githubAppSecretId}`;

/** The App's credentials and where they came from (named for the user, never the values). */
export interface ResolvedAppCredentials {
  credentials: AppCredentials;
  /** "the secret <id>" or "GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY". */
  source: string;
}

/**
 * The GitHub App's credentials. For a stage, the stage's App secret first (`{"appId",
 * "privateKey"}`, what the deployed consumers read), so that a development App in `.env` never
 * signs for a deployed stage; when that secret does not exist, and always with `--local`, as the
 * local GitHub consumer takes them: `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY` (environment or
 * `.env`; `\n`-escaped key allowed), then the Secrets Manager secret `GITHUB_APP_SECRET_ID` names.
 * Secrets are parsed by {@link parseGitHubCredentials}. Errors name variables and secrets, never
 * their values.
 *
 * @example
 * await resolveAppCredentials({ env: { GITHUB_APP_ID: "42", GITHUB_APP_PRIVATE_KEY: pem }, readSecret })
 * // { credentials: { appId: "42", privateKey: "-----BEGIN RSA PRIVATE KEY-----\n…" }, source: "GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY" }
 */
export async function resolveAppCredentials(sources: AppCredentialsSources): Promise<ResolvedAppCredentials> {
  if (sources.stageSecret) {
    const text = await sources.readSecret(sources.stageSecret);
    if (text !== undefined) return fromSecret(sources.stageSecret, text);
  }
  const { env } = sources;
  const fromEnv = appCredentialsFromEnv(env);
  if (fromEnv) return { credentials: fromEnv, source: `${ENV.githubAppId} and ${ENV.githubAppPrivateKey}` };
  const secretId = env[ENV.githubAppSecretId]?.trim();
  if (!secretId) {
    const where = sources.stageSecret ? `the secret ${sources.stageSecret} does not exist, and ` : "";
    throw new MissingVariableError(ENV.githubAppId, `the GitHub App's id: ${where}${HINT}`);
  }
  const text = await sources.readSecret(secretId);
  if (text === undefined) {
    throw new AppCredentialsError(
      `no GitHub App credentials: the secret ${secretId} does not exist or has no value (${HINT})`,
    );
  }
  return fromSecret(secretId, text);
}

/**
 * `GITHUB_APP_ID` + `GITHUB_APP_PRIVATE_KEY` (`\\n`-escaped key allowed); `undefined` when neither
 * is set, {@link MissingVariableError} when only one is.
 *
 * @example
 * appCredentialsFromEnv({ GITHUB_APP_ID: "42", GITHUB_APP_PRIVATE_KEY: pem }) // { appId: "42", privateKey: "-----BEGIN …" }
 */
export function appCredentialsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): AppCredentials | undefined {
  const appId = env[ENV.githubAppId]?.trim();
  const privateKey = env[ENV.githubAppPrivateKey]?.trim();
  if (!appId && !privateKey) return undefined;
  if (!appId) throw missingAppId();
  if (!privateKey) {
    throw new MissingVariableError(
      ENV.githubAppPrivateKey,
      "the GitHub App's private key (PEM, \\n-escaped allowed)",
    );
  }
  return { appId, privateKey: normalizePrivateKey(privateKey) };
}

/** `GITHUB_APP_ID` is not set (the App's key alone, or no App at all). */
export function missingAppId(): MissingVariableError {
  return new MissingVariableError(ENV.githubAppId, `the GitHub App's id, with ${ENV.githubAppPrivateKey}`);
}

function fromSecret(secretId: string, text: string): ResolvedAppCredentials {
  const credentials = parseGitHubCredentials(text);
  if ("token" in credentials) {
    throw new AppCredentialsError(
      `the secret ${secretId} holds a token, not {"appId", "privateKey"}: the App's webhook needs the App's own credentials`,
    );
  }
  return { credentials, source: `the secret ${secretId}` };
}
