import type { Logger } from "@aws-lambda-powertools/logger";
import type { App } from "@slack/bolt";
import { ENV } from "../../contract/environment";
import { createConsumerHandler } from "../consumer-handler";
import { defaultObservability } from "../observability";
import { createSlackApp, createSlackConsumer } from "../slack";
import { configuredSlackToken, requireSlackToken } from "../slack-token";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";

/** Registers the user's Slack listeners (`listeners/slack.ts`) on a Bolt app. */
export type SlackListeners = (app: App, logger: Logger) => void;

/**
 * The shipped Slack consumer: the listeners it is given, on a Bolt app fed from the queue (the
 * framework part is {@link createSlackConsumer}). The caller (a Lambda entry point, the local
 * runtime) passes the listeners, so the core never imports the user's code.
 *
 * @example
 * // handlers/consumers/*.ts, which may import the user's listeners:
 * export const handler = shippedSlackConsumer(deps, registerSlackListeners).createHandler();
 */
export function shippedSlackConsumer(
  deps: ShippedDeps,
  listeners: SlackListeners,
  name = "slack",
): ShippedConsumer {
  return {
    name,
    filter: { types: ["com.slack.*"] },
    missing: configuredSlackToken(deps.config, deps.secretsManager) ? [] : [ENV.slackBotToken],
    createHandler: () => {
      const logger = defaultObservability(deps).logger.createChild({
        persistentKeys: { listeners: "slack" },
      });
      const { app, receiver } = createSlackApp({
        token: requireSlackToken(deps.config, deps.secretsManager, name),
        slackApiUrl: deps.config.slackApiUrl,
        logger,
      });
      listeners(app, logger);
      return createConsumerHandler(createSlackConsumer(receiver, name), handlerOptions(deps));
    },
  };
}
