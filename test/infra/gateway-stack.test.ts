import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionUrl } from "@cdktf/provider-aws/lib/lambda-function-url";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { Testing } from "cdktf";
import { AWS_PROVIDER_VERSION } from "../../stacks/provider";
import { blocks, findBlock, ref, type Synthesized, synthGateway, testConfig } from "./support/synth";
import { STACK_VARIANTS } from "./support/variants";

Testing.setupJest();

const PREFIX = "webhook-gateway-dev";
const CONSUMERS = ["archive", "github", "slack", "notifier"] as const;

let text: string;
let json: Synthesized;

beforeAll(() => {
  ({ text, json } = synthGateway());
});

describe("edge function", () => {
  it("runs the ingest bundle on Node.js 22, arm64, 512 MB, 10 s, untraced by default, with reserved concurrency", () => {
    expect(text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: `${PREFIX}-ingest`,
      handler: "index.handler",
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      memory_size: 512,
      timeout: 10,
      reserved_concurrent_executions: 50,
      tracing_config: { mode: "PassThrough" },
    });
    const { block } = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-ingest`);
    expect(block.filename).toMatch(/^assets\/edge_function_bundle_asset_[0-9A-F]+\/[0-9A-F]+\/archive\.zip$/);
  });

  it("writes to its own log group, created first with a retention", () => {
    const { id: logId } = findBlock(json, "aws_cloudwatch_log_group", "name", `/aws/lambda/${PREFIX}-ingest`);
    expect(text).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: `/aws/lambda/${PREFIX}-ingest`,
      retention_in_days: 30,
    });
    const { block } = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-ingest`);
    expect(block.depends_on).toContain(`aws_cloudwatch_log_group.${logId}`);
    // JSON, Lambda's START/END/REPORT lines dropped, the application at the default level (WARN).
    expect(block.logging_config).toEqual({
      log_format: "JSON",
      system_log_level: "WARN",
      application_log_level: "WARN",
      log_group: ref("aws_cloudwatch_log_group", logId, "name"),
    });
  });

  it("gets exactly the environment src/edge/config.ts reads", () => {
    const { block } = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-ingest`);
    const variables = (block.environment as { variables: Record<string, string> }).variables;
    const secret = (name: string) => findBlock(json, "aws_secretsmanager_secret", "name", name).id;
    const bucketId = Object.keys(blocks(json, "aws_s3_bucket"))[0]!;
    expect(variables).toEqual({
      GATEWAY_ROUTES: expect.any(String),
      GITHUB_WEBHOOK_SECRET_ID: ref(
        "aws_secretsmanager_secret",
        secret(`webhook-gateway/dev/github-webhook-secret`),
        "arn",
      ),
      SLACK_SIGNING_SECRET_ID: ref(
        "aws_secretsmanager_secret",
        secret(`webhook-gateway/dev/slack-signing-secret`),
        "arn",
      ),
      CLAIM_CHECK_BUCKET: ref("aws_s3_bucket", bucketId, "bucket"),
      POWERTOOLS_SERVICE_NAME: `${PREFIX}-ingest`,
      POWERTOOLS_METRICS_NAMESPACE: "WebhookGateway",
      // No NODE_OPTIONS=--enable-source-maps (cold start); the Tracer is not loaded.
      POWERTOOLS_TRACE_ENABLED: "false",
      POWERTOOLS_LOG_LEVEL: "WARN",
    });
  });

  it("routes every consumer through GATEWAY_ROUTES with its queue URL, FIFO flag and filters", () => {
    const { block } = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-ingest`);
    const routes = (block.environment as { variables: Record<string, string> }).variables.GATEWAY_ROUTES!;
    const queueId = (name: string) => findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-${name}`).id;
    expect(routes).toBe(
      `\${jsonencode([${[
        `{"name" = "archive", "queueUrl" = aws_sqs_queue.${queueId("archive")}.url, "fifo" = false, "types" = ["*"], "sources" = []}`,
        `{"name" = "github", "queueUrl" = aws_sqs_queue.${queueId("github")}.url, "fifo" = false, "types" = ["com.github.pull_request.opened", "com.github.issues.opened", "com.github.push", "com.github.push.*"], "sources" = []}`,
        `{"name" = "slack", "queueUrl" = aws_sqs_queue.${queueId("slack")}.url, "fifo" = false, "types" = ["com.slack.*"], "sources" = []}`,
        `{"name" = "notifier", "queueUrl" = aws_sqs_queue.${queueId("notifier")}.url, "fifo" = false, "types" = [${[
          "pull_request.opened",
          "pull_request.closed",
          "issues.opened",
          "release.published",
          "workflow_run.completed",
        ]
          .map((t) => `"com.github.${t}"`)
          .join(", ")}], "sources" = []}`,
      ].join(", ")}])}`,
    );
  });
});

describe("function URL", () => {
  it("is public (auth NONE): the edge verifies signatures itself", () => {
    expect(text).toHaveResourceWithProperties(LambdaFunctionUrl, { authorization_type: "NONE" });
  });

  it("has both permissions a NONE function URL needs since October 2025", () => {
    const permissions = Object.values(blocks(json, "aws_lambda_permission"));
    const edgeId = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-ingest`).id;
    const functionName = ref("aws_lambda_function", edgeId, "function_name");
    expect(permissions).toHaveLength(2);
    expect(permissions).toContainEqual({
      statement_id: "AllowPublicFunctionUrl",
      action: "lambda:InvokeFunctionUrl",
      function_name: functionName,
      principal: "*",
      function_url_auth_type: "NONE",
    });
    // Regression guard: without invoked_via_function_url the second grant would let anyone invoke
    // the function directly, and without the grant at all the URL answers 403.
    expect(permissions).toContainEqual({
      statement_id: "AllowInvokeThroughFunctionUrl",
      action: "lambda:InvokeFunction",
      function_name: functionName,
      principal: "*",
      invoked_via_function_url: true,
    });
    expect(text).toHaveResourceWithProperties(LambdaPermission, { invoked_via_function_url: true });
  });

  it("pins an AWS provider that knows invoked_via_function_url (6.28.0 or later, not 7), and Terraform 1.10+", () => {
    expect(json.terraform.required_providers.aws).toEqual({ source: "aws", version: ">= 6.28.0, < 7.0.0" });
    expect(AWS_PROVIDER_VERSION).toBe(">= 6.28.0, < 7.0.0");
    // The S3 backend's use_lockfile needs Terraform 1.10: required in every variant, backend or not.
    for (const variant of STACK_VARIANTS) {
      expect(synthGateway(variant.config()).json.terraform.required_version).toBe(">= 1.10");
    }
    expect(json.provider.aws).toEqual([
      { region: "us-east-1", default_tags: [{ tags: { project: "webhook-gateway", stage: "dev" } }] },
    ]);
  });
});

describe("queues", () => {
  it.each(CONSUMERS)("%s has an encrypted queue whose redrive policy points at its DLQ", (name) => {
    const dlq = findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-${name}-dlq`);
    const queue = findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-${name}`);
    expect(queue.block).toEqual({
      name: `${PREFIX}-${name}`,
      sqs_managed_sse_enabled: true,
      max_message_size: 1048576,
      message_retention_seconds: 345600,
      // 6 × 30 s timeout + 1 s batching window
      visibility_timeout_seconds: 181,
      redrive_policy: `\${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.${dlq.id}.arn, "maxReceiveCount" = 5})}`,
    });
    expect(dlq.block).toEqual({
      name: `${PREFIX}-${name}-dlq`,
      sqs_managed_sse_enabled: true,
      max_message_size: 1048576,
      message_retention_seconds: 1209600,
    });
  });

  it.each(CONSUMERS)("%s DLQ accepts redrives from its own queue only", (name) => {
    const dlq = findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-${name}-dlq`);
    const queue = findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-${name}`);
    const { block } = findBlock(
      json,
      "aws_sqs_queue_redrive_allow_policy",
      "queue_url",
      ref("aws_sqs_queue", dlq.id, "url"),
    );
    expect(block.redrive_allow_policy).toBe(
      `\${jsonencode({"redrivePermission" = "byQueue", "sourceQueueArns" = [aws_sqs_queue.${queue.id}.arn]})}`,
    );
  });

  it("creates FIFO queues, DLQ included, where a consumer asks for it", () => {
    const { json: fifo } = synthGateway(
      testConfig({
        consumers: [{ name: "github", fifo: true, batchingWindowSeconds: 0, maxReceiveCount: 3 }],
      }),
    );
    const dlq = findBlock(fifo, "aws_sqs_queue", "name", `${PREFIX}-github-dlq.fifo`);
    const queue = findBlock(fifo, "aws_sqs_queue", "name", `${PREFIX}-github.fifo`);
    expect(dlq.block).toMatchObject({ fifo_queue: true, content_based_deduplication: false });
    expect(queue.block).toMatchObject({
      fifo_queue: true,
      content_based_deduplication: false,
      visibility_timeout_seconds: 180,
      redrive_policy: `\${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.${dlq.id}.arn, "maxReceiveCount" = 3})}`,
    });
    const fn = findBlock(fifo, "aws_lambda_function", "function_name", `${PREFIX}-github`).block;
    expect((fn.environment as { variables: Record<string, string> }).variables.QUEUE_FIFO).toBe("true");
    const mapping = findBlock(
      fifo,
      "aws_lambda_event_source_mapping",
      "event_source_arn",
      ref("aws_sqs_queue", queue.id, "arn"),
    );
    expect(mapping.block).not.toHaveProperty("maximum_batching_window_in_seconds");
    const edge = findBlock(fifo, "aws_lambda_function", "function_name", `${PREFIX}-ingest`).block;
    expect(JSON.stringify(edge.environment)).toContain(
      `\\"name\\" = \\"github\\", \\"queueUrl\\" = aws_sqs_queue.${queue.id}.url, \\"fifo\\" = true`,
    );
  });
});

describe("consumers", () => {
  it.each(CONSUMERS)(
    "%s runs its own bundle on Node.js 24 arm64, untraced by default, with a log group",
    (name) => {
      const { block } = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-${name}`);
      expect(block).toMatchObject({
        handler: "index.handler",
        runtime: "nodejs24.x",
        architectures: ["arm64"],
        timeout: 30,
        memory_size: 512,
        tracing_config: { mode: "PassThrough" },
      });
      expect(block.filename).toMatch(new RegExp(`^assets/consumer-${name}_function_bundle_asset_`));
      expect(block).not.toHaveProperty("reserved_concurrent_executions");
      const log = findBlock(json, "aws_cloudwatch_log_group", "name", `/aws/lambda/${PREFIX}-${name}`);
      expect(log.block.retention_in_days).toBe(30);
      expect(block.depends_on).toContain(`aws_cloudwatch_log_group.${log.id}`);
    },
  );

  it.each(CONSUMERS)(
    "%s is fed by its queue with partial batch responses and bounded concurrency",
    (name) => {
      const queue = findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-${name}`);
      const fn = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-${name}`);
      expect(text).toHaveResourceWithProperties(LambdaEventSourceMapping, {
        event_source_arn: ref("aws_sqs_queue", queue.id, "arn"),
        function_name: ref("aws_lambda_function", fn.id, "arn"),
        function_response_types: ["ReportBatchItemFailures"],
        batch_size: 10,
        maximum_batching_window_in_seconds: 1,
        scaling_config: { maximum_concurrency: 5 },
      });
    },
  );

  it.each(CONSUMERS)("%s gets the consumer environment", (name) => {
    const { block } = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-${name}`);
    const variables = (block.environment as { variables: Record<string, string> }).variables;
    const table = (suffix: string) => findBlock(json, "aws_dynamodb_table", "name", `${PREFIX}-${suffix}`).id;
    const bucketId = Object.keys(blocks(json, "aws_s3_bucket"))[0]!;
    const botToken = findBlock(
      json,
      "aws_secretsmanager_secret",
      "name",
      "webhook-gateway/dev/slack-bot-token",
    ).id;
    const githubApp = findBlock(
      json,
      "aws_secretsmanager_secret",
      "name",
      "webhook-gateway/dev/github-app",
    ).id;
    const usesSlack = name === "slack" || name === "notifier";
    expect(variables).toEqual({
      CONSUMER_NAME: name,
      QUEUE_FIFO: "false",
      IDEMPOTENCY_TABLE: ref("aws_dynamodb_table", table("idempotency"), "name"),
      IDEMPOTENCY_TTL_SECONDS: "604800",
      ARCHIVE_TABLE: ref("aws_dynamodb_table", table("archive"), "name"),
      ...(name === "archive" ? { ARCHIVE_RETENTION_DAYS: "30" } : {}),
      CLAIM_CHECK_BUCKET: ref("aws_s3_bucket", bucketId, "bucket"),
      POWERTOOLS_SERVICE_NAME: `${PREFIX}-${name}`,
      POWERTOOLS_METRICS_NAMESPACE: "WebhookGateway",
      // No NODE_OPTIONS=--enable-source-maps (cold start); the Tracer is not loaded.
      POWERTOOLS_TRACE_ENABLED: "false",
      POWERTOOLS_LOG_LEVEL: "WARN",
      ...(usesSlack ? { SLACK_BOT_TOKEN_SECRET_ID: ref("aws_secretsmanager_secret", botToken, "arn") } : {}),
      ...(name === "github"
        ? { GITHUB_APP_SECRET_ID: ref("aws_secretsmanager_secret", githubApp, "arn") }
        : {}),
      ...(name === "notifier" ? { NOTIFY_SLACK_CHANNEL: "#github" } : {}),
    });
  });
});

describe("state", () => {
  it("keeps idempotency records in an on-demand table with TTL and encryption, PITR off by default", () => {
    expect(text).toHaveResourceWithProperties(DynamodbTable, {
      name: `${PREFIX}-idempotency`,
      billing_mode: "PAY_PER_REQUEST",
      deletion_protection_enabled: false,
      hash_key: "id",
      attribute: [{ name: "id", type: "S" }],
      ttl: { attribute_name: "expiration", enabled: true },
      point_in_time_recovery: { enabled: false },
      server_side_encryption: { enabled: true },
    });
  });

  it("archives events in a table queryable by day, one index projecting the summary, TTL on expiresat", () => {
    const { block } = findBlock(json, "aws_dynamodb_table", "name", `${PREFIX}-archive`);
    expect(block).toEqual({
      name: `${PREFIX}-archive`,
      billing_mode: "PAY_PER_REQUEST",
      deletion_protection_enabled: false,
      hash_key: "id",
      attribute: ["id", "day", "receivedat"].map((name) => ({ name, type: "S" })),
      global_secondary_index: [
        {
          name: "by-day",
          hash_key: "day",
          range_key: "receivedat",
          // One write unit per event: listings filter on the summary and read full items by id.
          projection_type: "INCLUDE",
          non_key_attributes: ["type", "source", "subject", "time"],
        },
      ],
      ttl: { attribute_name: "expiresat", enabled: true },
      point_in_time_recovery: { enabled: false },
      server_side_encryption: { enabled: true },
    });
  });

  it("stores claim checks in a private, encrypted, TLS-only, self-expiring bucket", () => {
    const [bucketId] = Object.keys(blocks(json, "aws_s3_bucket"));
    const bucket = ref("aws_s3_bucket", bucketId!, "id");
    expect(text).toHaveResourceWithProperties(S3Bucket, { bucket_prefix: `${PREFIX}-claims-` });
    expect(text).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket,
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
    });
    expect(text).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(text).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket,
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
    expect(text).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      bucket,
      rule: [
        expect.objectContaining({
          status: "Enabled",
          filter: [{ prefix: "events/" }],
          // A message lives at most 4 (queue) + 14 (DLQ) + 4 (queue, after a redrive) = 22 days.
          expiration: [{ days: 23 }],
        }),
      ],
    });
    const policy = Object.values(blocks(json, "aws_s3_bucket_policy"));
    expect(policy).toHaveLength(1);
    const documentId = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(policy[0]!.policy))![1]!;
    expect(json.data.aws_iam_policy_document[documentId]!.statement).toEqual([
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        principals: [{ type: "*", identifiers: ["*"] }],
        resources: [ref("aws_s3_bucket", bucketId!, "arn"), `${ref("aws_s3_bucket", bucketId!, "arn")}/*`],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
  });

  it("protects both tables from deletion when asked", () => {
    const { json: protectedJson } = synthGateway(testConfig({ deletionProtection: true }));
    for (const table of Object.values(blocks(protectedJson, "aws_dynamodb_table"))) {
      expect(table.deletion_protection_enabled).toBe(true);
    }
  });

  it("creates the four secrets empty (values never pass through Terraform state)", () => {
    for (const name of ["github-webhook-secret", "slack-signing-secret", "slack-bot-token", "github-app"]) {
      expect(text).toHaveResourceWithProperties(SecretsmanagerSecret, {
        name: `webhook-gateway/dev/${name}`,
        recovery_window_in_days: 7,
      });
    }
    expect(Object.keys(blocks(json, "aws_secretsmanager_secret"))).toHaveLength(4);
    expect(json.resource).not.toHaveProperty("aws_secretsmanager_secret_version");
  });
});

describe("alarms", () => {
  const alarm = (name: string) =>
    findBlock(json, "aws_cloudwatch_metric_alarm", "alarm_name", `${PREFIX}-${name}`).block;

  it.each(CONSUMERS)("%s: alarms when its DLQ holds a message and when its queue falls behind", (name) => {
    const dlq = findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-${name}-dlq`);
    const queue = findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-${name}`);
    expect(alarm(`${name}-dlq-not-empty`)).toMatchObject({
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: ref("aws_sqs_queue", dlq.id, "name") },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
    });
    expect(alarm(`${name}-queue-age`)).toMatchObject({
      namespace: "AWS/SQS",
      metric_name: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: ref("aws_sqs_queue", queue.id, "name") },
      statistic: "Maximum",
      threshold: 900,
    });
  });

  it("alarms on edge errors, function URL 5xx, throttling and a burst of invalid signatures", () => {
    expect(alarm("edge-errors")).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: `${PREFIX}-ingest` },
      statistic: "Sum",
      threshold: 0,
    });
    expect(alarm("edge-url-5xx")).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Url5xxCount",
      dimensions: { FunctionName: `${PREFIX}-ingest` },
      statistic: "Sum",
      threshold: 0,
    });
    // Reserved concurrency (50) used up: the URL answers 429; any throttle in a minute alarms.
    expect(alarm("edge-throttles")).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Throttles",
      dimensions: { FunctionName: `${PREFIX}-ingest` },
      statistic: "Sum",
      period: 60,
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
    });
    // Matches the EMF the edge emits: src/edge/observe.ts, singleMetric with reason, service default.
    expect(alarm("edge-invalid-signatures")).toMatchObject({
      namespace: "WebhookGateway",
      metric_name: "Rejected",
      dimensions: { service: `${PREFIX}-ingest`, reason: "invalid_signature" },
      statistic: "Sum",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: 25,
    });
    expect(Object.keys(blocks(json, "aws_cloudwatch_metric_alarm"))).toHaveLength(4 + 2 * CONSUMERS.length);
  });

  it("sends alarm and OK actions to the SNS topic when one is configured", () => {
    const topic = "arn:aws:sns:us-east-1:123456789012:oncall";
    const { text: withTopic } = synthGateway(testConfig({ alarms: { topicArn: topic } }));
    for (const name of ["edge-errors", "edge-throttles"]) {
      expect(withTopic).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
        alarm_name: `${PREFIX}-${name}`,
        alarm_actions: [topic],
        ok_actions: [topic],
      });
    }
    expect(text).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: `${PREFIX}-edge-errors`,
      alarm_actions: [],
    });
  });
});

describe("outputs", () => {
  it("exposes the function URL, queues, DLQs, tables, bucket and secret ARNs", () => {
    expect(Object.keys(json.output).sort()).toEqual([
      "archive_table",
      "claim_check_bucket",
      "dlq_urls",
      "function_url",
      "idempotency_table",
      "queue_urls",
      "secret_arns",
    ]);
    const urlId = Object.keys(blocks(json, "aws_lambda_function_url"))[0]!;
    expect(json.output.function_url!.value).toBe(ref("aws_lambda_function_url", urlId, "function_url"));
    expect(Object.keys(json.output.queue_urls!.value as object).sort()).toEqual([...CONSUMERS].sort());
    expect(Object.keys(json.output.dlq_urls!.value as object).sort()).toEqual([...CONSUMERS].sort());
    expect(Object.keys(json.output.secret_arns!.value as object).sort()).toEqual([
      "github_app",
      "github_webhook",
      "slack_bot_token",
      "slack_signing_secret",
    ]);
  });
});

describe("configuration switches", () => {
  it("tracing: true turns on X-Ray and the Powertools Tracer in every function", () => {
    const { json: traced } = synthGateway(testConfig({ tracing: true }));
    for (const fn of Object.values(blocks(traced, "aws_lambda_function"))) {
      expect(fn.tracing_config).toEqual({ mode: "Active" });
      expect(
        (fn.environment as { variables: Record<string, string> }).variables.POWERTOOLS_TRACE_ENABLED,
      ).toBe("true");
    }
  });

  it("pointInTimeRecovery: true turns PITR on for both tables", () => {
    const { json: recoverable } = synthGateway(testConfig({ pointInTimeRecovery: true }));
    for (const name of [`${PREFIX}-idempotency`, `${PREFIX}-archive`]) {
      expect(findBlock(recoverable, "aws_dynamodb_table", "name", name).block.point_in_time_recovery).toEqual(
        {
          enabled: true,
        },
      );
    }
  });

  it("logLevel sets Powertools' level and Lambda's application level in every function", () => {
    const { json: verbose } = synthGateway(testConfig({ logLevel: "INFO" }));
    const functions = Object.values(blocks(verbose, "aws_lambda_function"));
    expect(functions.length).toBeGreaterThan(1);
    for (const fn of functions) {
      expect(fn.logging_config).toMatchObject({
        log_format: "JSON",
        system_log_level: "INFO",
        application_log_level: "INFO",
      });
      expect((fn.environment as { variables: Record<string, string> }).variables.POWERTOOLS_LOG_LEVEL).toBe(
        "INFO",
      );
    }
    for (const fn of Object.values(blocks(json, "aws_lambda_function"))) {
      expect((fn.environment as { variables: Record<string, string> }).variables.POWERTOOLS_LOG_LEVEL).toBe(
        "WARN",
      );
    }
  });

  it("archiveRetentionDays reaches the archive consumer as ARCHIVE_RETENTION_DAYS", () => {
    const { json: kept } = synthGateway(testConfig({ archiveRetentionDays: 90 }));
    const { block } = findBlock(kept, "aws_lambda_function", "function_name", `${PREFIX}-archive`);
    expect(
      (block.environment as { variables: Record<string, string> }).variables.ARCHIVE_RETENTION_DAYS,
    ).toBe("90");
  });
});
