/**
 * Lambda entry point (SQS event source mapping, `ReportBatchItemFailures`) of Slack listeners: `listeners/slack.ts` on a Bolt app.
 * Configuration and clients are built once per cold start.
 */
import { registerSlackListeners } from "../../listeners/slack";
import { lambdaDeps } from "../../src/consumers/shipped/lambda";
import { shippedSlackConsumer } from "../../src/consumers/shipped/slack";

const deps = lambdaDeps(process.env);

export const handler = shippedSlackConsumer(
  deps,
  registerSlackListeners,
  deps.config.consumerName,
).createHandler();
