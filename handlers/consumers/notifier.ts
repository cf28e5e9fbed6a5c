/**
 * Lambda entry point (SQS event source mapping, `ReportBatchItemFailures`) of the GitHub-to-Slack notifier, posting to `NOTIFY_SLACK_CHANNEL`.
 * Configuration and clients are built once per cold start.
 */
import { lambdaDeps } from "../../src/consumers/shipped/lambda";
import { shippedNotifierConsumer } from "../../src/consumers/shipped/notifier";

const deps = lambdaDeps(process.env);

export const handler = shippedNotifierConsumer(deps, deps.config.consumerName).createHandler();
