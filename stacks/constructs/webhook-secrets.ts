import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";
import type { SecretNames } from "../../src/config/gateway-config";

export interface WebhookSecretsProps {
  names: SecretNames;
  recoveryWindowDays: number;
}

/**
 * The gateway's secrets, created empty: there is deliberately no `aws_secretsmanager_secret_version`,
 * so a secret value never passes through Terraform configuration or state. Operators set them with
 * `aws secretsmanager put-secret-value`; until then the edge refuses every delivery (401).
 *
 * @example
 * const secrets = new WebhookSecrets(this, "secrets", { names: config.secretNames, recoveryWindowDays: 7 });
 */
export class WebhookSecrets extends Construct {
  readonly githubWebhook: SecretsmanagerSecret;
  readonly slackSigningSecret: SecretsmanagerSecret;
  readonly slackBotToken: SecretsmanagerSecret;
  /** The GitHub listeners' credentials: `{"appId", "privateKey"}` of the GitHub App, or `{"token"}`. */
  readonly githubApp: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: WebhookSecretsProps) {
    super(scope, id);
    const secret = (key: string, name: string, description: string) =>
      new SecretsmanagerSecret(this, key, {
        name,
        description,
        recoveryWindowInDays: props.recoveryWindowDays,
      });
    this.githubWebhook = secret(
      "github-webhook",
      props.names.githubWebhook,
      'GitHub webhook secret: a string, or {"current": "…", "previous": "…"} while rotating',
    );
    this.slackSigningSecret = secret(
      "slack-signing",
      props.names.slackSigningSecret,
      'Slack signing secret: a string, or {"current": "…", "previous": "…"} while rotating',
    );
    this.slackBotToken = secret("slack-bot-token", props.names.slackBotToken, "Slack bot token (xoxb-…)");
    this.githubApp = secret(
      "github-app",
      props.names.githubApp,
      'GitHub App of the GitHub listeners: {"appId": …, "privateKey": "-----BEGIN…"}, or {"token": "…"}',
    );
  }
}
