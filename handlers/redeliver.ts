/**
 * Scheduled Lambda (EventBridge rule): asks GitHub to redeliver every delivery of the configured
 * hook whose attempts all failed since the last completed run (see src/redelivery/scheduled.ts
 * for the variables). GitHub never retries a failed delivery by itself.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { Octokit } from "@octokit/rest";
import { RedeliveryFailedError } from "../src/redelivery/errors";
import {
  loadScheduledRedeliveryConfig,
  runScheduledRedelivery,
  type ScheduledRedeliveryResult,
} from "../src/redelivery/scheduled";
import { ConfigError } from "../src/shared/errors";
import { parseSecretValue } from "../src/shared/secrets";

const config = loadScheduledRedeliveryConfig(process.env);
const ddb = new DynamoDBClient({ maxAttempts: 3 });
let github: Promise<Octokit> | undefined;

// The token is read once per cold start; a failed read is retried at the next invocation.
async function client(): Promise<Octokit> {
  let auth = config.token;
  if (config.tokenSecretId) {
    const output = await new SecretsManagerClient({}).send(
      new GetSecretValueCommand({ SecretId: config.tokenSecretId }),
    );
    auth = parseSecretValue(output.SecretString ?? "")[0];
    if (!auth) throw new ConfigError(config.tokenSecretId, "holds no token");
  }
  return new Octokit({ auth, baseUrl: config.apiUrl ?? "https://api.github.com" });
}

export async function handler(): Promise<ScheduledRedeliveryResult> {
  github ??= client().catch((error) => {
    github = undefined;
    throw error;
  });
  const result = await runScheduledRedelivery({ github: await github, ddb, config });
  console.log(
    JSON.stringify({
      message: "redelivery run",
      since: result.since,
      examined: result.examined,
      requested: result.requested,
      recovered: result.recovered.length,
      exhausted: result.exhausted,
      failures: result.failures,
    }),
  );
  // A failed redelivery request fails the invocation, so the Lambda's Errors metric shows it.
  if (result.failures.length > 0) throw new RedeliveryFailedError(result.failures.length);
  return result;
}
