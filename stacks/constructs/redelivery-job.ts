import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";
import type { LogLevel, RedeliveryConfig } from "../../src/config/gateway-config";
import { ENV } from "../../src/contract/environment";
import { NodeFunction } from "./node-function";

export interface RedeliveryJobProps {
  /** Function, role, log group, rule: `<prefix>-redeliver`; table: `<prefix>-redelivery`. */
  prefix: string;
  redelivery: RedeliveryConfig;
  tokenSecretName: string;
  secretRecoveryWindowDays: number;
  deletionProtection: boolean;
  distDir: string;
  logRetentionDays: number;
  /** The Lambda Node.js runtime (`nodejs24.x` by default). */
  runtime?: string;
  /** X-Ray active tracing and the Powertools Tracer (default false). */
  tracing?: boolean;
  /** Powertools\' and Lambda\'s application log level (default `WARN`). */
  logLevel?: LogLevel;
}

/** Lambda's bounds on an asynchronous event's maximum age. */
const EVENT_AGE_SECONDS = { min: 60, max: 6 * 60 * 60 };
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 60 * 60, day: 24 * 60 * 60 };

/**
 * How long a scheduled invocation may wait (throttled behind a run still going) before Lambda
 * drops it: until the next run is due, for a `rate(…)`; an hour for a `cron(…)`; within Lambda's
 * 60 s to 6 h.
 *
 * @example
 * maximumEventAgeSeconds("rate(15 minutes)") // 900
 */
export function maximumEventAgeSeconds(schedule: string): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(schedule);
  const interval = rate ? Number(rate[1]) * UNIT_SECONDS[rate[2]!]! : UNIT_SECONDS.hour!;
  return Math.min(EVENT_AGE_SECONDS.max, Math.max(EVENT_AGE_SECONDS.min, interval));
}

/**
 * The scheduled redelivery (handlers/redeliver.ts): an EventBridge rule invokes the function, one
 * run at a time (reserved concurrency 1 unless configured otherwise) and never retried (the next
 * scheduled run is the retry), which asks GitHub to redeliver the hook's failed
 * deliveries and keeps its checkpoint in its own table. The GitHub token secret is created empty,
 * like the webhook secrets: set it with `aws secretsmanager put-secret-value`.
 *
 * @example
 * const job = new RedeliveryJob(this, "redelivery", { prefix: "webhook-gateway-dev", redelivery, … });
 * job.function.fn.functionName
 */
export class RedeliveryJob extends Construct {
  readonly function: NodeFunction;
  readonly table: DynamodbTable;
  readonly tokenSecret: SecretsmanagerSecret;
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: RedeliveryJobProps) {
    super(scope, id);
    const r = props.redelivery;
    const name = `${props.prefix}-redeliver`;
    this.table = new DynamodbTable(this, "checkpoints", {
      name: `${props.prefix}-redelivery`,
      billingMode: "PAY_PER_REQUEST",
      deletionProtectionEnabled: props.deletionProtection,
      hashKey: "id",
      attribute: [{ name: "id", type: "S" }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
    });
    this.tokenSecret = new SecretsmanagerSecret(this, "github-token", {
      name: props.tokenSecretName,
      description: "GitHub token of the scheduled redelivery: may list and redeliver the hook's deliveries",
      recoveryWindowInDays: props.secretRecoveryWindowDays,
    });
    this.function = new NodeFunction(this, "function", {
      functionName: name,
      bundle: "redeliver",
      distDir: props.distDir,
      memoryMb: r.memoryMb,
      timeoutSeconds: r.timeoutSeconds,
      // One run at a time (1 by default): two runs would read the same checkpoint and redeliver twice.
      reservedConcurrency: r.reservedConcurrency,
      logRetentionDays: props.logRetentionDays,
      runtime: props.runtime,
      tracing: props.tracing,
      logLevel: props.logLevel,
      environment: redeliveryEnvironment(r, this.table.name, this.tokenSecret.arn),
      statements: [
        {
          sid: "RedeliveryCheckpoint",
          actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
          resources: [this.table.arn],
        },
        {
          sid: "ReadGitHubToken",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [this.tokenSecret.arn],
        },
      ],
    });
    this.rule = new CloudwatchEventRule(this, "schedule", {
      name,
      description: "Asks GitHub to redeliver failed webhook deliveries",
      scheduleExpression: r.schedule,
    });
    new CloudwatchEventTarget(this, "target", {
      rule: this.rule.name,
      targetId: "redeliver",
      arn: this.function.fn.arn,
    });
    // EventBridge invokes asynchronously, and Lambda retries a failed run twice by default; the
    // handler throws on purpose after saving its checkpoint (to raise the errors alarm), so a retry
    // would only repeat the run. https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
    new LambdaFunctionEventInvokeConfig(this, "no-retries", {
      functionName: this.function.fn.functionName,
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: maximumEventAgeSeconds(r.schedule),
    });
    new LambdaPermission(this, "invoke", {
      statementId: "AllowEventBridgeSchedule",
      action: "lambda:InvokeFunction",
      functionName: this.function.fn.functionName,
      principal: "events.amazonaws.com",
      sourceArn: this.rule.arn,
    });
  }
}

/**
 * The variables src/redelivery/scheduled.ts reads: the table, the hook, the token's secret
 * and the window.
 *
 * @example
 * redeliveryEnvironment({ app: true, lookbackMinutes: 60, maxAttempts: 3, … }, table, arn).REDELIVERY_APP // "true"
 */
export function redeliveryEnvironment(
  r: RedeliveryConfig,
  tableName: string,
  tokenSecretArn: string,
): Record<string, string> {
  const hook: Record<string, string> = r.app
    ? { [ENV.redeliveryApp]: "true" }
    : {
        ...(r.repo ? { [ENV.redeliveryRepo]: r.repo } : { [ENV.redeliveryOrg]: r.org! }),
        [ENV.redeliveryHookId]: String(r.hookId),
      };
  return {
    [ENV.redeliveryTable]: tableName,
    ...hook,
    [ENV.githubTokenSecretId]: tokenSecretArn,
    [ENV.redeliveryLookbackMinutes]: String(r.lookbackMinutes),
    [ENV.redeliveryMaxAttempts]: String(r.maxAttempts),
  };
}
