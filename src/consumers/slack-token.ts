import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ENV } from "../contract/environment";
import { ConfigError } from "../shared/errors";

/** Where the bot token comes from: inline, or a Secrets Manager secret read once. */
export type SlackTokenConfig = { token: string } | { secretId: string; secretsManager: SecretsManagerClient };

/**
 * A cached bot-token loader. The Secrets Manager secret is read on first use and kept for the
 * life of the process; a failed read is not cached, so the next record tries again. The secret
 * holds the token itself, or JSON such as `{"token": "xoxb-…"}` / `{"botToken": "xoxb-…"}`.
 *
 * @example
 * const token = slackTokenSource({ secretId: "gateway/slack-bot-token", secretsManager: new SecretsManagerClient({}) });
 * await token() // "xoxb-…"
 */
export function slackTokenSource(config: SlackTokenConfig): () => Promise<string> {
  if ("token" in config) {
    const token = Promise.resolve(config.token);
    return () => token;
  }
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= loadToken(config).catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

async function loadToken(config: {
  secretId: string;
  secretsManager: SecretsManagerClient;
}): Promise<string> {
  const output = await config.secretsManager.send(new GetSecretValueCommand({ SecretId: config.secretId }));
  const value = output.SecretString?.trim();
  const token = value ? tokenIn(value) : undefined;
  if (!token) throw new ConfigError(ENV.slackBotTokenSecretId, "the secret holds no bot token");
  return token;
}

function tokenIn(value: string): string | undefined {
  if (!value.startsWith("{")) return value;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const token = parsed.token ?? parsed.botToken ?? parsed.bot_token ?? parsed[ENV.slackBotToken];
    return typeof token === "string" && token.length > 0 ? token : undefined;
  } catch {
    return undefined;
  }
}
