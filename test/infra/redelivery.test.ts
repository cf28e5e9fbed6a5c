import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Testing } from "cdktf";
import { loadGatewayConfig } from "../../src/config/load";
import { ROOT } from "../../stacks/bundle";
import {
  type Block,
  blocks,
  findBlock,
  ref,
  type Synthesized,
  stubBundles,
  synthGateway,
  testConfig,
} from "./support/synth";

Testing.setupJest();

const PREFIX = "webhook-gateway-dev";
const NAME = `${PREFIX}-redeliver`;
const TOKEN_SECRET = "webhook-gateway/dev/github-token";
/** A token a careless stack could copy from the developer's shell into the configuration. */
const TEST_TOKEN = "ghp_test-redelivery-token-7b1e0f";

interface Statement {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: unknown;
}

function documentStatements(json: Synthesized, reference: unknown): Statement[] {
  const id = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(reference))?.[1];
  if (!id) throw new Error(`not a policy document reference: ${String(reference)}`);
  return (json.data.aws_iam_policy_document[id] as Block).statement as Statement[];
}

function roleStatements(json: Synthesized, name: string): Statement[] {
  const role = findBlock(json, "aws_iam_role", "name", name);
  const attached = Object.values(blocks(json, "aws_iam_role_policy")).filter(
    (policy) => policy.role === ref("aws_iam_role", role.id, "id"),
  );
  expect(attached).toHaveLength(1);
  return documentStatements(json, attached[0]!.policy);
}

const variablesOf = (json: Synthesized) =>
  (
    findBlock(json, "aws_lambda_function", "function_name", NAME).block.environment as {
      variables: Record<string, string>;
    }
  ).variables;

describe("scheduled redelivery, enabled", () => {
  let text: string;
  let json: Synthesized;
  const saved = process.env.GITHUB_TOKEN;

  beforeAll(() => {
    process.env.GITHUB_TOKEN = TEST_TOKEN;
    ({ text, json } = synthGateway(testConfig({ redelivery: { repo: "octo-org/webhooks", hookId: 4242 } })));
  });

  afterAll(() => {
    if (saved === undefined) delete process.env.GITHUB_TOKEN;
    else process.env.GITHUB_TOKEN = saved;
  });

  const id = (type: string, key: string, value: string) => findBlock(json, type, key, value).id;
  const fnId = () => id("aws_lambda_function", "function_name", NAME);
  const ruleId = () => id("aws_cloudwatch_event_rule", "name", NAME);
  const tableId = () => id("aws_dynamodb_table", "name", `${PREFIX}-redelivery`);
  const secretId = () => id("aws_secretsmanager_secret", "name", TOKEN_SECRET);
  const logId = () => id("aws_cloudwatch_log_group", "name", `/aws/lambda/${NAME}`);

  it("runs the redeliver bundle on Node.js 22 arm64, 60 s, 256 MB, one at a time, untraced by default", () => {
    expect(text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: NAME,
      handler: "index.handler",
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      memory_size: 256,
      timeout: 60,
      reserved_concurrent_executions: 1,
      tracing_config: { mode: "PassThrough" },
    });
    const { block } = findBlock(json, "aws_lambda_function", "function_name", NAME);
    expect(block.filename).toMatch(
      /^assets\/redelivery_function_bundle_asset_[0-9A-F]+\/[0-9A-F]+\/archive\.zip$/,
    );
    expect(block.role).toBe(ref("aws_iam_role", id("aws_iam_role", "name", NAME), "arn"));
  });

  it("writes to its own log group, created first with a retention", () => {
    expect(findBlock(json, "aws_cloudwatch_log_group", "name", `/aws/lambda/${NAME}`).block).toEqual({
      name: `/aws/lambda/${NAME}`,
      retention_in_days: 30,
    });
    const { block } = findBlock(json, "aws_lambda_function", "function_name", NAME);
    expect(block.depends_on).toContain(`aws_cloudwatch_log_group.${logId()}`);
    // JSON, Lambda's START/END/REPORT lines dropped, the application at the default level (WARN).
    expect(block.logging_config).toEqual({
      log_format: "JSON",
      system_log_level: "WARN",
      application_log_level: "WARN",
      log_group: ref("aws_cloudwatch_log_group", logId(), "name"),
    });
  });

  it("gets exactly the environment src/redelivery/scheduled.ts reads", () => {
    expect(variablesOf(json)).toEqual({
      REDELIVERY_TABLE: ref("aws_dynamodb_table", tableId(), "name"),
      REDELIVERY_REPO: "octo-org/webhooks",
      REDELIVERY_HOOK_ID: "4242",
      GITHUB_TOKEN_SECRET_ID: ref("aws_secretsmanager_secret", secretId(), "arn"),
      REDELIVERY_LOOKBACK_MINUTES: "60",
      REDELIVERY_MAX_ATTEMPTS: "3",
      POWERTOOLS_TRACE_ENABLED: "false",
      POWERTOOLS_LOG_LEVEL: "WARN",
    });
  });

  it("keeps its checkpoint in an on-demand table with PITR and encryption", () => {
    expect(findBlock(json, "aws_dynamodb_table", "name", `${PREFIX}-redelivery`).block).toEqual({
      name: `${PREFIX}-redelivery`,
      billing_mode: "PAY_PER_REQUEST",
      deletion_protection_enabled: false,
      hash_key: "id",
      attribute: [{ name: "id", type: "S" }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
    });
  });

  it("creates the GitHub token secret empty: no secret version, no value anywhere", () => {
    expect(findBlock(json, "aws_secretsmanager_secret", "name", TOKEN_SECRET).block).toMatchObject({
      name: TOKEN_SECRET,
      recovery_window_in_days: 7,
    });
    expect(Object.keys(blocks(json, "aws_secretsmanager_secret"))).toHaveLength(5);
    expect(json.resource).not.toHaveProperty("aws_secretsmanager_secret_version");
    expect(text).not.toContain("aws_secretsmanager_secret_version");
    expect(text).not.toContain(TEST_TOKEN);
    expect(Object.keys(variablesOf(json))).not.toContain("GITHUB_TOKEN");
  });

  it("is invoked by an EventBridge schedule", () => {
    expect(findBlock(json, "aws_cloudwatch_event_rule", "name", NAME).block).toEqual({
      name: NAME,
      description: "Asks GitHub to redeliver failed webhook deliveries",
      schedule_expression: "rate(15 minutes)",
    });
    expect(text).toHaveResourceWithProperties(CloudwatchEventRule, {
      schedule_expression: "rate(15 minutes)",
    });
    expect(Object.values(blocks(json, "aws_cloudwatch_event_target"))).toEqual([
      {
        rule: ref("aws_cloudwatch_event_rule", ruleId(), "name"),
        target_id: "redeliver",
        arn: ref("aws_lambda_function", fnId(), "arn"),
      },
    ]);
    expect(text).toHaveResourceWithProperties(CloudwatchEventTarget, { target_id: "redeliver" });
  });

  it("lets only its own rule invoke the function (events.amazonaws.com, source_arn = the rule)", () => {
    const permissions = Object.values(blocks(json, "aws_lambda_permission"));
    // The edge's two function URL permissions, and this one.
    expect(permissions).toHaveLength(3);
    const scheduled = permissions.filter((p) => p.principal === "events.amazonaws.com");
    expect(scheduled).toEqual([
      {
        statement_id: "AllowEventBridgeSchedule",
        action: "lambda:InvokeFunction",
        function_name: ref("aws_lambda_function", fnId(), "function_name"),
        principal: "events.amazonaws.com",
        source_arn: ref("aws_cloudwatch_event_rule", ruleId(), "arn"),
      },
    ]);
  });

  it("has its own role, assumable by Lambda only", () => {
    const role = findBlock(json, "aws_iam_role", "name", NAME).block;
    expect(documentStatements(json, role.assume_role_policy)).toEqual([
      {
        sid: "LambdaAssumeRole",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
      },
    ]);
    expect(Object.keys(blocks(json, "aws_iam_role"))).toHaveLength(6);
  });

  it("grants exactly the checkpoint, the token, its logs and X-Ray (the only '*', which AWS imposes)", () => {
    expect(roleStatements(json, NAME)).toEqual([
      {
        sid: "RedeliveryCheckpoint",
        effect: "Allow",
        actions: ["dynamodb:GetItem", "dynamodb:PutItem"],
        resources: [ref("aws_dynamodb_table", tableId(), "arn")],
      },
      {
        sid: "ReadGitHubToken",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue"],
        resources: [ref("aws_secretsmanager_secret", secretId(), "arn")],
      },
      {
        sid: "WriteOwnLogs",
        effect: "Allow",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${ref("aws_cloudwatch_log_group", logId(), "arn")}:*`],
      },
      // X-Ray has no resource-level permissions for these actions.
      {
        sid: "XRayTraces",
        effect: "Allow",
        actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        resources: ["*"],
      },
    ]);
  });

  it("gives no other role the token or the checkpoint table", () => {
    const token = ref("aws_secretsmanager_secret", secretId(), "arn");
    const table = ref("aws_dynamodb_table", tableId(), "arn");
    for (const role of Object.values(blocks(json, "aws_iam_role"))) {
      if (role.name === NAME) continue;
      const resources = roleStatements(json, String(role.name)).flatMap((s) => s.resources ?? []);
      expect(resources).not.toContain(token);
      expect(resources).not.toContain(table);
    }
  });

  it("is never retried by Lambda: a failed run waits for the next schedule, a stale event is dropped", () => {
    // Asynchronous invocation retries twice by default; the handler throws on purpose after its
    // checkpoint, so a retry would only repeat the run.
    expect(Object.values(blocks(json, "aws_lambda_function_event_invoke_config"))).toEqual([
      {
        function_name: ref("aws_lambda_function", fnId(), "function_name"),
        maximum_retry_attempts: 0,
        // rate(15 minutes): an invocation still waiting when the next one is due is dropped.
        maximum_event_age_in_seconds: 900,
      },
    ]);
  });

  it("alarms when a run fails", () => {
    expect(
      findBlock(json, "aws_cloudwatch_metric_alarm", "alarm_name", `${PREFIX}-redeliver-errors`).block,
    ).toMatchObject({
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: NAME },
      statistic: "Sum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      treat_missing_data: "notBreaching",
    });
  });

  it("outputs the function, the table and the token secret's ARN", () => {
    expect(json.output.redelivery_function!.value).toBe(ref("aws_lambda_function", fnId(), "function_name"));
    expect(json.output.redelivery_table!.value).toBe(ref("aws_dynamodb_table", tableId(), "name"));
    expect(json.output.github_token_secret_arn!.value).toBe(
      ref("aws_secretsmanager_secret", secretId(), "arn"),
    );
  });
});

describe("scheduled redelivery, other hooks and settings", () => {
  it("targets the GitHub App's hook with REDELIVERY_APP and no hook id", () => {
    const { json } = synthGateway(
      testConfig({
        redelivery: { app: true, schedule: "cron(0/30 * * * ? *)", lookbackMinutes: 120, maxAttempts: 5 },
      }),
    );
    const variables = variablesOf(json);
    expect(variables).toMatchObject({
      REDELIVERY_APP: "true",
      REDELIVERY_LOOKBACK_MINUTES: "120",
      REDELIVERY_MAX_ATTEMPTS: "5",
    });
    expect(Object.keys(variables).sort()).toEqual(
      [
        "GITHUB_TOKEN_SECRET_ID",
        "POWERTOOLS_LOG_LEVEL",
        "POWERTOOLS_TRACE_ENABLED",
        "REDELIVERY_APP",
        "REDELIVERY_LOOKBACK_MINUTES",
        "REDELIVERY_MAX_ATTEMPTS",
        "REDELIVERY_TABLE",
      ].sort(),
    );
    expect(findBlock(json, "aws_cloudwatch_event_rule", "name", NAME).block.schedule_expression).toBe(
      "cron(0/30 * * * ? *)",
    );
  });

  it("targets an organization hook configured through GATEWAY_REDELIVERY_* variables", () => {
    const config = loadGatewayConfig({
      root: ROOT,
      file: {},
      env: { GATEWAY_REDELIVERY_ORG: "octo-org", GATEWAY_REDELIVERY_HOOK_ID: "99" },
    });
    const { json } = synthGateway({
      ...config,
      distDir: stubBundles(["ingest", "archive", "github", "slack", "notifier", "redeliver"]),
    });
    const variables = variablesOf(json);
    expect(variables).toMatchObject({ REDELIVERY_ORG: "octo-org", REDELIVERY_HOOK_ID: "99" });
    expect(variables).not.toHaveProperty("REDELIVERY_REPO");
    expect(variables).not.toHaveProperty("REDELIVERY_APP");
  });

  it.each([
    ["the file", { reservedConcurrency: 3 }, {}, 3],
    ["GATEWAY_REDELIVERY_RESERVED_CONCURRENCY", {}, { GATEWAY_REDELIVERY_RESERVED_CONCURRENCY: "2" }, 2],
    [
      "the variable over the file",
      { reservedConcurrency: 3 },
      { GATEWAY_REDELIVERY_RESERVED_CONCURRENCY: "4" },
      4,
    ],
  ])("takes its reserved concurrency from %s", (_from, redelivery, env, expected) => {
    const { json } = synthGateway(
      testConfig({ redelivery: { repo: "octo/a", hookId: 1, ...redelivery } }, env),
    );
    const { block } = findBlock(json, "aws_lambda_function", "function_name", NAME);
    expect(block.reserved_concurrent_executions).toBe(expected);
  });

  it.each([
    ["null in the file", { reservedConcurrency: null }, {}],
    [
      "none in GATEWAY_REDELIVERY_RESERVED_CONCURRENCY",
      {},
      { GATEWAY_REDELIVERY_RESERVED_CONCURRENCY: "none" },
    ],
  ])(
    "reserves no concurrency with %s (accounts capped at 10 refuse any reservation)",
    (_how, redelivery, env) => {
      const { json } = synthGateway(
        testConfig({ redelivery: { repo: "octo/a", hookId: 1, ...redelivery } }, env),
      );
      const { block } = findBlock(json, "aws_lambda_function", "function_name", NAME);
      expect(block).not.toHaveProperty("reserved_concurrent_executions");
      // The edge keeps its own setting.
      const edge = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-ingest`).block;
      expect(edge.reserved_concurrent_executions).toBe(50);
    },
  );

  it.each([
    ["rate(1 minute)", 60],
    ["rate(2 hours)", 7200],
    ["rate(1 day)", 21600],
    ["cron(0/30 * * * ? *)", 3600],
  ])("drops an invocation of a %s schedule once it is %i s old", (schedule, age) => {
    const { json } = synthGateway(testConfig({ redelivery: { app: true, schedule } }));
    expect(Object.values(blocks(json, "aws_lambda_function_event_invoke_config"))).toMatchObject([
      { maximum_retry_attempts: 0, maximum_event_age_in_seconds: age },
    ]);
  });

  it("protects the checkpoint table from deletion with the others", () => {
    const { json } = synthGateway(
      testConfig({ deletionProtection: true, redelivery: { repo: "octo/a", hookId: 1 } }),
    );
    expect(findBlock(json, "aws_dynamodb_table", "name", `${PREFIX}-redelivery`).block).toMatchObject({
      deletion_protection_enabled: true,
    });
  });
});

describe("scheduled redelivery, default configuration", () => {
  it.each([
    ["not configured", {}],
    ["configured but disabled", { redelivery: { enabled: false, repo: "octo/a", hookId: 1 } }],
  ])("creates none of it when %s", (_label, file) => {
    const { text, json } = synthGateway(testConfig(file));
    expect(json.resource).not.toHaveProperty("aws_cloudwatch_event_rule");
    expect(json.resource).not.toHaveProperty("aws_cloudwatch_event_target");
    expect(json.resource).not.toHaveProperty("aws_lambda_function_event_invoke_config");
    expect(Object.values(blocks(json, "aws_lambda_function")).map((f) => f.function_name)).not.toContain(
      NAME,
    );
    expect(Object.values(blocks(json, "aws_iam_role")).map((r) => r.name)).not.toContain(NAME);
    expect(Object.values(blocks(json, "aws_dynamodb_table")).map((t) => t.name)).not.toContain(
      `${PREFIX}-redelivery`,
    );
    expect(Object.values(blocks(json, "aws_secretsmanager_secret")).map((s) => s.name)).not.toContain(
      TOKEN_SECRET,
    );
    expect(Object.values(blocks(json, "aws_lambda_permission")).map((p) => p.principal)).not.toContain(
      "events.amazonaws.com",
    );
    expect(Object.values(blocks(json, "aws_cloudwatch_metric_alarm")).map((a) => a.alarm_name)).not.toContain(
      `${PREFIX}-redeliver-errors`,
    );
    expect(Object.keys(json.output)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(redelivery_|github_token)/)]),
    );
    expect(text).not.toContain("REDELIVERY_");
    expect(text).not.toContain("GITHUB_TOKEN_SECRET_ID");
  });
});
