import { parseSecretList } from "../shared/secrets";

/**
 * Development secrets, used by `npm start` and the replay command when neither the environment
 * nor `.env` sets one. They are public by design: never use them for a deployed gateway.
 */
export const DEV_GITHUB_SECRET = "dev-github-webhook-secret";
export const DEV_SLACK_SECRET = "dev-slack-signing-secret";

export interface ResolvedSecret {
  values: string[];
  origin: "environment" | ".env" | "development default";
}

/**
 * Picks a provider's secrets: the process environment, then `.env`, then the development default.
 *
 * @example
 * resolveSecret("GITHUB_WEBHOOK_SECRET", process.env, readEnvFile(".env"), DEV_GITHUB_SECRET)
 */
export function resolveSecret(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  file: Readonly<Record<string, string>>,
  fallback: string,
): ResolvedSecret {
  const fromEnv = parseSecretList(env[name] ?? "");
  if (fromEnv.length > 0) return { values: fromEnv, origin: "environment" };
  const fromFile = parseSecretList(file[name] ?? "");
  if (fromFile.length > 0) return { values: fromFile, origin: ".env" };
  return { values: [fallback], origin: "development default" };
}
