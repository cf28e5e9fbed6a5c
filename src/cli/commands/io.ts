import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/rest";
import { ENV } from "../../contract/environment";
import { readEnvFile } from "../../shared/env-file";
import { MissingVariableError } from "../errors";
import { appCredentialsFromEnv, missingAppId } from "../ops/github-app-credentials";

/** What a command touches outside itself; tests pass their own. */
export interface CommandIO {
  env: Readonly<Record<string, string | undefined>>;
  /** Repository root: `.env` and `gateway.config.json` are read from here. */
  cwd: string;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Where the progress bar draws (silent unless a TTY). */
  progress: NodeJS.WriteStream;
  readStdin: () => Promise<string>;
}

/** The real process: environment (over `.env`), stdout, stderr, stdin. */
export function processIO(): CommandIO {
  return {
    env: { ...readEnvFile(".env"), ...process.env },
    cwd: process.cwd(),
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    progress: process.stderr,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/**
 * An Octokit for the GitHub REST API: token from `GITHUB_TOKEN`, base URL from `--api-url`, then
 * `GITHUB_API_URL` (GitHub Enterprise, or a local fake), then api.github.com.
 *
 * @example
 * const octokit = githubClient(io.env, values["api-url"]);
 */
export function githubClient(env: CommandIO["env"], apiUrl?: string): Octokit {
  const token = env[ENV.githubToken]?.trim();
  if (!token)
    throw new MissingVariableError(ENV.githubToken, "a token with admin:repo_hook or admin:org_hook");
  return new Octokit({ ...octokitOptions(env, apiUrl), auth: token });
}

/**
 * An Octokit authenticated as the GitHub App itself (the App's webhook, `/app/…` endpoints): each
 * request carries an App JWT that `@octokit/auth-app` signs from `GITHUB_APP_ID` and
 * `GITHUB_APP_PRIVATE_KEY` (PEM, `\n`-escaped line breaks allowed; environment or `.env`), the
 * credentials the GitHub listeners use. Base URL as {@link githubClient}.
 *
 * @example
 * const octokit = githubAppClient(io.env, values["api-url"]);
 * await octokit.request("GET /app/hook/deliveries"); // Authorization: bearer <App JWT>
 */
export function githubAppClient(env: CommandIO["env"], apiUrl?: string): Octokit {
  const credentials = appCredentialsFromEnv(env);
  if (!credentials) throw missingAppId();
  return githubAppClientWith(credentials, env, apiUrl);
}

/**
 * An Octokit authenticated as the GitHub App with credentials already read (see
 * `resolveAppCredentials`); base URL as {@link githubClient}.
 *
 * @example
 * const octokit = githubAppClientWith((await resolveAppCredentials(sources)).credentials, io.env, values["api-url"]);
 */
export function githubAppClientWith(
  credentials: { appId: string; privateKey: string },
  env: CommandIO["env"],
  apiUrl?: string,
): Octokit {
  return new Octokit({ ...octokitOptions(env, apiUrl), authStrategy: createAppAuth, auth: credentials });
}

function octokitOptions(env: CommandIO["env"], apiUrl: string | undefined) {
  return {
    baseUrl: apiUrl ?? env[ENV.githubApiUrl]?.trim() ?? "https://api.github.com",
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  };
}

/**
 * The first value of a comma-separated secret list (the newest).
 *
 * @example
 * firstSecret("new,old") // "new"
 */
export function firstSecret(value: string | undefined): string | undefined {
  return value
    ?.split(",")
    .map((s) => s.trim())
    .find((s) => s.length > 0);
}
