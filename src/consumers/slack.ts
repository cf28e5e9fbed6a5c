import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { App, type AuthorizeResult, ErrorCode } from "@slack/bolt";
import { slackClientOptions, slackLogger } from "./slack-client";
import { QueueReceiver } from "./slack-receiver";
import type { Consumer } from "./types";

export interface SlackAppOptions {
  /** The bot token (see `slackTokenSource`). */
  token: () => Promise<string>;
  /** Web API base URL (default https://slack.com/api/); a local fake in tests. */
  slackApiUrl?: string;
  logger?: PowertoolsLogger;
}

/**
 * A Bolt `App` driven by a {@link QueueReceiver}. `say`, `respond` and `client` work as with
 * Bolt's own receivers. Authorization loads the token once and calls `auth.test` once, so Bolt
 * knows the bot's ids and ignores the bot's own messages. A listener error reaches Bolt's
 * default error handler, which logs and rethrows it, so `processEvent` rejects and the record
 * fails. An `app.error` handler must rethrow too, or failures would be acknowledged.
 *
 * @example
 * const { app, receiver } = createSlackApp({ token: async () => "xoxb-…" });
 * app.event("app_mention", async ({ event, say }) => { await say(`Hi <@${event.user}>`); });
 * const consumer = createSlackConsumer(receiver);
 */
export function createSlackApp(options: SlackAppOptions): { app: App; receiver: QueueReceiver } {
  const receiver = new QueueReceiver();
  const logger = options.logger ? slackLogger(options.logger) : undefined;
  let identity: Promise<AuthorizeResult> | undefined;
  const app: App = new App({
    receiver,
    logger,
    clientOptions: slackClientOptions({ slackApiUrl: options.slackApiUrl, logger }),
    authorize: async () => {
      identity ??= (async () => {
        const botToken = await options.token();
        const auth = await app.client.auth.test({ token: botToken });
        return { botToken, botId: auth.bot_id, botUserId: auth.user_id };
      })().catch((error) => {
        identity = undefined;
        throw error;
      });
      // Bolt adds the event's user and team to the result it gets: hand it a copy.
      return { ...(await identity) };
    },
  });
  return { app, receiver };
}

/**
 * Slack listeners: events from `com.slack.*` run through a Bolt app's listeners.
 *
 * @example
 * const consumer = createSlackConsumer(createSlackApp({ token }).receiver);
 */
export function createSlackConsumer(receiver: QueueReceiver, name = "slack"): Consumer {
  return {
    name,
    filter: { types: ["com.slack.*"] },
    handler: async (event) => {
      try {
        await receiver.dispatch(event);
      } catch (error) {
        throw boltListenerError(error);
      }
    },
  };
}

/**
 * The error a listener threw. Bolt wraps an error without a `code` in `UnknownError` (its stack
 * in Bolt, its name a bare `Error`) and several at once in `MultipleListenerError`: the
 * listener's own (first) error is returned, so logs and reports name the user's file.
 *
 * @example
 * try { await receiver.dispatch(event) } catch (error) { throw boltListenerError(error) }
 */
export function boltListenerError(error: unknown): unknown {
  const wrapped = error as { code?: unknown; original?: unknown; originals?: unknown[] };
  if (wrapped?.code === ErrorCode.UnknownError && wrapped.original instanceof Error) return wrapped.original;
  if (wrapped?.code === ErrorCode.MultipleListenerError && wrapped.originals?.[0] instanceof Error) {
    return boltListenerError(wrapped.originals[0]);
  }
  return error;
}
