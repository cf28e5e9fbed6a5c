/**
 * Cold-start reference: the Slack edge as a Bolt app on `AwsLambdaReceiver` with one listener,
 * bundled with the edge's esbuild options. `authorize` instead of `token`: with a token Bolt calls
 * `auth.test` at start, which would put a network round trip into the measurement.
 */
import { App, AwsLambdaReceiver } from "@slack/bolt";

const receiver = new AwsLambdaReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? "" });
const app = new App({
  receiver,
  authorize: async () => ({
    botToken: process.env.SLACK_BOT_TOKEN ?? "xoxb-bench",
    botId: "B0",
    botUserId: "U0",
  }),
});

app.event("app_mention", async () => {});

export const handler = receiver.toHandler();
