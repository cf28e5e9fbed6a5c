/**
 * Lambda entry point (SQS event source mapping, `ReportBatchItemFailures`) of GitHub listeners: `listeners/github.ts` on `@octokit/webhooks`.
 * Configuration and clients are built once per cold start. Each listener's `octokit` acts as the
 * GitHub App whose credentials are in the `GITHUB_APP_SECRET_ID` secret (read on first use).
 */

import { registerGitHubListeners } from "../../listeners/github";
import { shippedGitHubConsumer } from "../../src/consumers/shipped/github";
import { lambdaDeps } from "../../src/consumers/shipped/lambda";

const deps = lambdaDeps(process.env);

export const handler = shippedGitHubConsumer(
  deps,
  registerGitHubListeners,
  deps.config.consumerName,
).createHandler();
