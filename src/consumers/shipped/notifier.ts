import { webApi } from "@slack/bolt";
import { ENV } from "../../contract/environment";
import { NOTIFIED_TYPES } from "../../contract/notifier";
import { ConfigError } from "../../shared/errors";
import { createConsumerHandler } from "../consumer-handler";
import { createNotifierConsumer } from "../notifier";
import { defaultObservability } from "../observability";
import { slackClientOptions, slackLogger } from "../slack-client";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";
import { configuredToken, requireToken } from "./slack-token";

/**
 * The GitHub-to-Slack notifier, shipped: posts to `NOTIFY_SLACK_CHANNEL` with the bot token.
 *
 * @example
 * export const handler = notifierConsumer({ config, ddb, s3, secretsManager }).createHandler();
 */
export function notifierConsumer(deps: ShippedDeps, name = "notifier"): ShippedConsumer {
  const channel = deps.config.notifyChannel;
  const missing = [
    ...(channel ? [] : [ENV.notifySlackChannel]),
    ...(configuredToken(deps) ? [] : [ENV.slackBotToken]),
  ];
  return {
    name,
    filter: { types: NOTIFIED_TYPES },
    missing,
    createHandler: () => {
      if (!channel) throw new ConfigError(ENV.notifySlackChannel, `is required by the ${name} consumer`);
      const token = requireToken(deps, name);
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
