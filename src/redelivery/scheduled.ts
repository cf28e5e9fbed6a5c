import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ENV } from "../contract/environment";
import { readInt, readString } from "../edge/config";
import { ConfigError } from "../shared/errors";
import type { GitHubClient } from "./github-target";
import { type DeliveryTarget, deliveriesPath, parseRepo } from "./github-target";
import { type RedeliverReport, redeliverFailed } from "./redeliver";

type Env = Readonly<Record<string, string | undefined>>;

export interface ScheduledRedeliveryConfig {
  /** DynamoDB table (hash key `id`, string) holding the checkpoint item. */
  table: string;
  target: DeliveryTarget;
  /** The window always reaches at least this far back, so earlier attempts count toward `maxAttempts`. */
  lookbackMs: number;
  maxAttempts: number;
  /** Secrets Manager secret holding the GitHub token (or an App JWT source), else `token`. */
  tokenSecretId?: string;
  token?: string;
  apiUrl?: string;
}

/**
 * Reads the scheduled redelivery's configuration once, at cold start. Every problem names its
 * variable: `REDELIVERY_TABLE`; the hook as `REDELIVERY_REPO` (owner/name) or `REDELIVERY_ORG`,
 * with `REDELIVERY_HOOK_ID`, or `REDELIVERY_APP=true`; `GITHUB_TOKEN_SECRET_ID` or `GITHUB_TOKEN`;
 * optional `REDELIVERY_LOOKBACK_MINUTES` (60), `REDELIVERY_MAX_ATTEMPTS` (3), `GITHUB_API_URL`.
 *
 * @example
 * loadScheduledRedeliveryConfig({ REDELIVERY_TABLE: "t", REDELIVERY_APP: "true", GITHUB_TOKEN: "x" })
 */
export function loadScheduledRedeliveryConfig(env: Env): ScheduledRedeliveryConfig {
  const table = readString(env, ENV.redeliveryTable);
  if (!table) throw new ConfigError(ENV.redeliveryTable, "is required");
  const repo = readString(env, ENV.redeliveryRepo);
  const org = readString(env, ENV.redeliveryOrg);
  const app = readString(env, ENV.redeliveryApp) === "true";
  if ([repo, org, app || undefined].filter(Boolean).length !== 1) {
    throw new ConfigError(
      ENV.redeliveryRepo,
      `set exactly one of ${ENV.redeliveryRepo}, ${ENV.redeliveryOrg} or ${ENV.redeliveryApp}=true`,
    );
  }
  let target: DeliveryTarget = { kind: "app" };
  if (!app) {
    const hookId = readInt(env, ENV.redeliveryHookId, 0);
    if (hookId === 0)
      throw new ConfigError(
        ENV.redeliveryHookId,
        `is required with ${ENV.redeliveryRepo} or ${ENV.redeliveryOrg}`,
      );
    if (org) target = { kind: "org", org, hookId };
    else {
      try {
        target = { ...parseRepo(repo!), hookId };
      } catch {
        throw new ConfigError(ENV.redeliveryRepo, "must look like owner/name");
      }
    }
  }
  const tokenSecretId = readString(env, ENV.githubTokenSecretId);
  const token = readString(env, ENV.githubToken);
  if (!tokenSecretId && !token)
    throw new ConfigError(ENV.githubTokenSecretId, `set it or ${ENV.githubToken}`);
  return {
    table,
    target,
    lookbackMs: readInt(env, ENV.redeliveryLookbackMinutes, 60) * 60_000,
    maxAttempts: readInt(env, ENV.redeliveryMaxAttempts, 3),
    tokenSecretId,
    token,
    apiUrl: readString(env, ENV.githubApiUrl),
  };
}

export interface ScheduledRedeliveryResult extends RedeliverReport {
  since: string;
  checkpoint: string;
}

/**
 * One scheduled run: the window starts at the last completed run's checkpoint, or `lookbackMs`
 * ago if that is earlier-reaching; the redelivery logic of the CLI runs over it; then the run's
 * start time is stored as the new checkpoint (only if listing succeeded, so a failed run is
 * covered by the next one).
 *
 * @example
 * await runScheduledRedelivery({ github: octokit, ddb, config, now: Date.now });
 */
export async function runScheduledRedelivery(options: {
  github: GitHubClient;
  ddb: DynamoDBClient;
  config: ScheduledRedeliveryConfig;
  now?: () => number;
}): Promise<ScheduledRedeliveryResult> {
  const { config } = options;
  const doc = DynamoDBDocumentClient.from(options.ddb);
  const startedAt = (options.now ?? Date.now)();
  const id = `github-redelivery#${deliveriesPath(config.target)}`;
  const item = await doc.send(new GetCommand({ TableName: config.table, Key: { id }, ConsistentRead: true }));
  const checkpoint =
    typeof item.Item?.checkpoint === "string" ? Date.parse(item.Item.checkpoint) : Number.NaN;
  const floor = startedAt - config.lookbackMs;
  const since = Number.isNaN(checkpoint) ? floor : Math.min(checkpoint, floor);
  const report = await redeliverFailed(options.github, {
    target: config.target,
    since,
    maxAttempts: config.maxAttempts,
  });
  const next = new Date(startedAt).toISOString();
  await doc.send(
    new PutCommand({
      TableName: config.table,
      Item: {
        id,
        checkpoint: next,
        requested: report.requested.length,
        failures: report.failures.length,
        exhausted: report.exhausted.length,
      },
    }),
  );
  return { ...report, since: new Date(since).toISOString(), checkpoint: next };
}
