import { webApi } from "@slack/bolt";
import { ENV } from "../../contract/environment";
import { NOTIFIED_TYPES } from "../../contract/notifier";
import { ConfigError } from "../../shared/errors";
import { createConsumerHandler } from "../consumer-handler";
import { createNotifierConsumer } from "../notifier";
import { defaultObservability } from "../observability";
import { slackClientOptions, slackLogger } from "../slack-client";
import { configuredSlackToken, requireSlackToken } from "../slack-token";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";

/**
 * The shipped GitHub-to-Slack notifier (the framework part is `createNotifierConsumer`): posts to `NOTIFY_SLACK_CHANNEL` with the bot token.
 *
 * @example
 * export const handler = shippedNotifierConsumer({ config, ddb, s3, secretsManager }).createHandler();
 */
export function shippedNotifierConsumer(deps: ShippedDeps, name = "notifier"): ShippedConsumer {
  const channel = deps.config.notifyChannel;
  const missing = [
    ...(channel ? [] : [ENV.notifySlackChannel]),
    ...(configuredSlackToken(deps.config, deps.secretsManager) ? [] : [ENV.slackBotToken]),
  ];
  return {
    name,
    filter: { types: NOTIFIED_TYPES },
    missing,
    createHandler: () => {
      if (!channel) throw new ConfigError(ENV.notifySlackChannel, `is required by the ${name} consumer`);
      const token = requireSlackToken(deps.config, deps.secretsManager, name);
      const logger = slackLogger(defaultObservability(deps).logger);
      const options = slackClientOptions({ slackApiUrl: deps.config.slackApiUrl, logger });
      let client: Promise<webApi.WebClient> | undefined;
      const getClient = () => {
        client ??= token()
          .then((value) => new webApi.WebClient(value, options))
          .catch((error) => {
            client = undefined;
            throw error;
          });
        return client;
      };
      return createConsumerHandler(
        createNotifierConsumer({ client: getClient, channel }, name),
        handlerOptions(deps),
      );
    },
  };
}
