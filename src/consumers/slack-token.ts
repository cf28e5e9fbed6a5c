import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ENV } from "../contract/environment";
import { ConfigError } from "../shared/errors";
import type { ConsumerLambdaConfig } from "./config";

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

/** The configuration that says where the bot token is. */
export type SlackTokenSettings = Pick<ConsumerLambdaConfig, "slackBotToken" | "slackBotTokenSecretId">;

/**
 * The bot-token loader the configuration asks for: `SLACK_BOT_TOKEN` or
 * `SLACK_BOT_TOKEN_SECRET_ID`, whichever is set; `undefined` when neither is.
 *
 * @example
 * configuredSlackToken({ slackBotToken: "xoxb-…" }) // () => Promise<"xoxb-…">
 */
export function configuredSlackToken(
  settings: SlackTokenSettings,
  secretsManager?: SecretsManagerClient,
): (() => Promise<string>) | undefined {
  const { slackBotToken, slackBotTokenSecretId } = settings;
  if (slackBotToken) return slackTokenSource({ token: slackBotToken });
  if (slackBotTokenSecretId) {
    return slackTokenSource({
      secretId: slackBotTokenSecretId,
      secretsManager: secretsManager ?? new SecretsManagerClient({}),
    });
  }
  return undefined;
}

/**
 * {@link configuredSlackToken}, or a `ConfigError` naming the consumer that needs the token.
 *
 * @example
 * const token = requireSlackToken(config, secretsManager, "notifier");
 */
export function requireSlackToken(
  settings: SlackTokenSettings,
  secretsManager: SecretsManagerClient | undefined,
  consumer: string,
): () => Promise<string> {
  const token = configuredSlackToken(settings, secretsManager);
  if (!token)
    throw new ConfigError(
      ENV.slackBotToken,
      `or ${ENV.slackBotTokenSecretId} is required by the ${consumer} consumer`,
    );
  return token;
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
