import type { Logger } from "@aws-lambda-powertools/logger";
import type { App } from "@slack/bolt";
import { registerSlackListeners } from "../../../listeners/slack";
import { ENV } from "../../contract/environment";
import { createConsumerHandler } from "../consumer-handler";
import { defaultObservability } from "../observability";
import { createSlackApp, createSlackConsumer } from "../slack";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";
import { configuredToken, requireToken } from "./slack-token";

export type SlackListeners = (app: App, logger: Logger) => void;

/**
 * Slack listeners, shipped: `listeners/slack.ts` (or `register`) on a Bolt app fed from the queue.
 *
 * @example
 * export const handler = slackConsumer({ config, ddb, s3, secretsManager }).createHandler();
 */
export function slackConsumer(
  deps: ShippedDeps,
  register: SlackListeners = registerSlackListeners,
  name = "slack",
): ShippedConsumer {
  return {
    name,
    filter: { types: ["com.slack.*"] },
    missing: configuredToken(deps) ? [] : [ENV.slackBotToken],
    createHandler: () => {
      const logger = defaultObservability(deps).logger.createChild({
        persistentKeys: { listeners: "slack" },
      });
      const { app, receiver } = createSlackApp({
        token: requireToken(deps, name),
        slackApiUrl: deps.config.slackApiUrl,
        logger,
      });
      register(app, logger);
      return createConsumerHandler(createSlackConsumer(receiver, name), handlerOptions(deps));
    },
  };
}
