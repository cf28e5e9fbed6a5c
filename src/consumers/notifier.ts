import type { webApi } from "@slack/bolt";
import { NOTIFIED_TYPES, notificationFor } from "./notifier-messages";
import type { Consumer } from "./types";

export interface NotifierOptions {
  /** A Web API client with the bot token (built once; see `slackClientOptions`). */
  client: () => Promise<webApi.WebClient>;
  /** Channel id (or name) to post to. */
  channel: string;
}

/**
 * GitHub-to-Slack notifier: posts pull requests opened or merged, issues opened, releases
 * published and failed workflow runs to one channel with `chat.postMessage`; ignores the rest.
 * A failed post fails the record; idempotency keeps a retried record from posting twice once a
 * post has succeeded.
 *
 * @example
 * const consumer = createNotifierConsumer({ client: async () => new webApi.WebClient(token), channel: "C0123" });
 */
export function createNotifierConsumer(options: NotifierOptions, name = "notifier"): Consumer {
  return {
    name,
    filter: { types: NOTIFIED_TYPES },
    handler: async (event, context) => {
      const notification = notificationFor(event);
      if (!notification) {
        context.logger.debug("Not a notified event", { type: event.type });
        return;
      }
      const client = await options.client();
      await client.chat.postMessage({
        channel: options.channel,
        text: notification.text,
        blocks: notification.blocks,
      });
    },
  };
}
