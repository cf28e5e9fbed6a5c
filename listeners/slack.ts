/**
 * Your Slack listeners, written as for any Bolt app: `say`, `respond` and `client` call Slack's
 * Web API with the bot token. Each listener runs once per event (Slack retries and queue
 * duplicates are filtered out); one that throws fails the event, which is retried later.
 * `ack()` is accepted and does nothing: the gateway already answered Slack within 3 seconds, so
 * anything Slack expects in the HTTP response (such as a modal's validation errors) cannot be
 * returned from here.
 *
 * https://docs.slack.dev/tools/bolt-js/concepts/event-listening
 */
import type { App } from "@slack/bolt";

export function registerSlackListeners(app: App): void {
  app.event("app_mention", async ({ event, say }) => {
    await say({ text: `Hi <@${event.user}>, I saw your mention.`, thread_ts: event.ts });
  });

  app.command("/echo", async ({ command, ack, respond }) => {
    await ack();
    await respond({ response_type: "ephemeral", text: command.text || "(nothing to echo)" });
  });

  app.action("approve", async ({ ack, body, respond }) => {
    await ack();
    await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
  });

  app.view("feedback", async ({ ack, body, view, client }) => {
    await ack();
    const feedback = view.state.values.feedback?.text?.value ?? "";
    await client.chat.postMessage({ channel: body.user.id, text: `Thanks for your feedback: ${feedback}` });
  });
}
