import { basename } from "node:path";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { Construct } from "constructs";
import type { ConsumerDeployment, LogLevel } from "../../src/config/gateway-config";
import { ENV } from "../../src/contract/environment";
import { CLAIM_CHECK_PREFIX, visibilityTimeoutSeconds } from "../../src/contract/limits";
import { ARCHIVE_FAILURES_ATTRIBUTE, ARCHIVE_KEY } from "../../src/contract/tables";
import type { PolicyStatement } from "./function-role";
import { NodeFunction } from "./node-function";
import { QueueWithDlq } from "./queue-with-dlq";

/** Shared resources a consumer may be granted. */
export interface ConsumerResources {
  idempotencyTableArn: string;
  idempotencyTableName: string;
  archiveTableArn: string;
  archiveTableName: string;
  bucketArn: string;
  bucketName: string;
  slackBotTokenArn: string;
  githubAppArn: string;
}

export interface ConsumerFunctionProps {
  /** `<name>-<stage>`, the prefix of every resource name. */
  prefix: string;
  consumer: ConsumerDeployment;
  resources: ConsumerResources;
  distDir: string;
  logRetentionDays: number;
  /** The Lambda Node.js runtime (`nodejs24.x` by default). */
  runtime?: string;
  idempotencyTtlSeconds: number;
  /** `ARCHIVE_RETENTION_DAYS` of a consumer with access to the archive table. */
  archiveRetentionDays: number;
  metricsNamespace: string;
  /** X-Ray active tracing and the Powertools Tracer. */
  tracing: boolean;
  /** Powertools\' and Lambda\'s application log level (default `WARN`). */
  logLevel?: LogLevel;
}

/**
 * One consumer: its queue and DLQ, its function, and the event source mapping between them
 * (partial batch responses, bounded concurrency). The role grants exactly what the consumer uses.
 *
 * @example
 * new ConsumerFunction(this, "archive", { prefix: "webhook-gateway-dev", consumer, resources, … });
 */
export class ConsumerFunction extends Construct {
  readonly queues: QueueWithDlq;
  readonly function: NodeFunction;

  constructor(scope: Construct, id: string, props: ConsumerFunctionProps) {
    super(scope, id);
    const { consumer: c, resources: r } = props;
    const name = `${props.prefix}-${c.name}`;
    this.queues = new QueueWithDlq(this, "queues", {
      name,
      fifo: c.fifo,
      visibilityTimeoutSeconds: visibilityTimeoutSeconds(c),
      maxReceiveCount: c.maxReceiveCount,
    });
    this.function = new NodeFunction(this, "function", {
      functionName: name,
      bundle: basename(c.entry, ".ts"),
      distDir: props.distDir,
      memoryMb: c.memoryMb,
      timeoutSeconds: c.timeoutSeconds,
      logRetentionDays: props.logRetentionDays,
      runtime: props.runtime,
      tracing: props.tracing,
      logLevel: props.logLevel,
      statements: consumerStatements(c, this.queues.queue.arn, r),
      environment: consumerEnvironment(name, c, r, props),
    });
    new LambdaEventSourceMapping(this, "source", {
      eventSourceArn: this.queues.queue.arn,
      functionName: this.function.fn.arn,
      functionResponseTypes: ["ReportBatchItemFailures"],
      batchSize: c.batchSize,
      // SQS rejects a batching window on FIFO queues; validation keeps it 0 there.
      maximumBatchingWindowInSeconds: c.fifo ? undefined : c.batchingWindowSeconds,
      scalingConfig: { maximumConcurrency: c.maxConcurrency },
    });
  }
}

/**
 * The consumer's variables, as src/consumers/config.ts reads them, with its own merged last.
 *
 * @example
 * consumerEnvironment("gw-dev-archive", consumer, resources, props).CONSUMER_NAME // "archive"
 */
export function consumerEnvironment(
  functionName: string,
  c: ConsumerDeployment,
  r: Pick<
    ConsumerResources,
    "idempotencyTableName" | "archiveTableName" | "bucketName" | "slackBotTokenArn" | "githubAppArn"
  >,
  props: Pick<ConsumerFunctionProps, "idempotencyTtlSeconds" | "metricsNamespace" | "archiveRetentionDays">,
): Record<string, string> {
  return {
    [ENV.consumerName]: c.name,
    // src/consumers/config.ts: FIFO queues are processed in order and stop at a group's first failure.
    [ENV.queueFifo]: String(c.fifo),
    [ENV.idempotencyTable]: r.idempotencyTableName,
    [ENV.idempotencyTtlSeconds]: String(props.idempotencyTtlSeconds),
    [ENV.archiveTable]: r.archiveTableName,
    ...(c.access.archiveTable ? { [ENV.archiveRetentionDays]: String(props.archiveRetentionDays) } : {}),
    [ENV.claimCheckBucket]: r.bucketName,
    ...(c.access.slackBotToken ? { [ENV.slackBotTokenSecretId]: r.slackBotTokenArn } : {}),
    ...(c.access.githubApp ? { [ENV.githubAppSecretId]: r.githubAppArn } : {}),
    [ENV.powertoolsServiceName]: functionName,
    [ENV.powertoolsMetricsNamespace]: props.metricsNamespace,
    ...c.environment,
  };
}

/**
 * The consumer's grants: its queue, the idempotency table, claim-check reads (and listing their
 * bucket, so a missing one is reported as missing), and the archive table, the Slack bot token or
 * the GitHub App's credentials where its configuration asks for them.
 *
 * @example
 * consumerStatements(consumer, queue.arn, resources).map((s) => s.sid) // ["ConsumeOwnQueue", …]
 */
export function consumerStatements(
  c: ConsumerDeployment,
  queueArn: string,
  r: ConsumerResources,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      sid: "ConsumeOwnQueue",
      actions: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        // The function itself: a copy meeting another invocation's in-progress record is made
        // visible again within seconds (src/consumers/in-progress-retry.ts).
        "sqs:ChangeMessageVisibility",
      ],
      resources: [queueArn],
    },
    {
      sid: "IdempotencyRecords",
      actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      resources: [r.idempotencyTableArn],
    },
    {
      sid: "ReadClaimChecks",
      actions: ["s3:GetObject"],
      resources: [`${r.bucketArn}/${CLAIM_CHECK_PREFIX}*`],
    },
    {
      // Without s3:ListBucket, S3 answers a missing key with 403 AccessDenied instead of 404
      // NoSuchKey, and an expired claim check looks like a permissions problem.
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions
      // No s3:prefix condition: the bucket holds only claim checks, and whether S3 sets that key
      // when it makes this check is not documented (a condition it cannot match brings the 403 back).
      sid: "ReportMissingClaimChecks",
      actions: ["s3:ListBucket"],
      resources: [r.bucketArn],
    },
    // Every consumer records its failures on the archived event (src/consumers/consumer-handler.ts),
    // and may touch nothing else of it: only the key and the failures map, nothing returned.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
    {
      sid: "RecordFailures",
      actions: ["dynamodb:UpdateItem"],
      resources: [r.archiveTableArn],
      condition: [
        {
          test: "ForAllValues:StringEquals",
          variable: "dynamodb:Attributes",
          values: [ARCHIVE_KEY, ARCHIVE_FAILURES_ATTRIBUTE],
        },
        { test: "StringEqualsIfExists", variable: "dynamodb:ReturnValues", values: ["NONE"] },
      ],
    },
  ];
  if (c.access.archiveTable) {
    statements.push({ sid: "WriteArchive", actions: ["dynamodb:PutItem"], resources: [r.archiveTableArn] });
  }
  if (c.access.slackBotToken) {
    statements.push({
      sid: "ReadSlackBotToken",
      actions: ["secretsmanager:GetSecretValue"],
      resources: [r.slackBotTokenArn],
    });
  }
  if (c.access.githubApp) {
    statements.push({
      sid: "ReadGitHubApp",
      actions: ["secretsmanager:GetSecretValue"],
      resources: [r.githubAppArn],
    });
  }
  return statements;
}
