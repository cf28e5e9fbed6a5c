import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ENV } from "../../contract/environment";
import { ConfigError } from "../../shared/errors";
import { slackTokenSource } from "../slack-token";
import type { ShippedDeps } from "./deps";

/** `SLACK_BOT_TOKEN` or `SLACK_BOT_TOKEN_SECRET_ID`, whichever is set; `undefined` when neither. */
export function configuredToken(deps: ShippedDeps): (() => Promise<string>) | undefined {
  const { slackBotToken, slackBotTokenSecretId } = deps.config;
  if (slackBotToken) return slackTokenSource({ token: slackBotToken });
  if (slackBotTokenSecretId) {
    const secretsManager = deps.secretsManager ?? new SecretsManagerClient({});
    return slackTokenSource({ secretId: slackBotTokenSecretId, secretsManager });
  }
  return undefined;
}

export function requireToken(deps: ShippedDeps, consumer: string): () => Promise<string> {
  const token = configuredToken(deps);
  if (!token)
    throw new ConfigError(
      ENV.slackBotToken,
      `or ${ENV.slackBotTokenSecretId} is required by the ${consumer} consumer`,
    );
  return token;
}
