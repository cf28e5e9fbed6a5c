import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Construct } from "constructs";
import type { RedeliveryConfig } from "../../src/config/gateway-config";
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
  /** X-Ray active tracing and the Powertools Tracer (default false). */
  tracing?: boolean;
}

/**
 * The scheduled redelivery (handlers/redeliver.ts): an EventBridge rule invokes the function, one
 * run at a time (reserved concurrency 1), which asks GitHub to redeliver the hook's failed
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
      // One run at a time: two runs would read the same checkpoint and redeliver twice.
      reservedConcurrency: 1,
      logRetentionDays: props.logRetentionDays,
      tracing: props.tracing,
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
