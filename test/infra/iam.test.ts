import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Testing } from "cdktf";
import { type Block, blocks, findBlock, ref, type Synthesized, synthGateway } from "./support/synth";

Testing.setupJest();

const PREFIX = "webhook-gateway-dev";

interface Statement {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: unknown;
  condition?: unknown;
}

let text: string;
let json: Synthesized;

beforeAll(() => {
  ({ text, json } = synthGateway());
});

/** The inline policy statements of the role named `name`, read from its policy document. */
function roleStatements(name: string): Statement[] {
  const role = findBlock(json, "aws_iam_role", "name", name);
  const attached = Object.values(blocks(json, "aws_iam_role_policy")).filter(
    (policy) => policy.role === ref("aws_iam_role", role.id, "id"),
  );
  expect(attached).toHaveLength(1);
  return documentStatements(attached[0]!.policy);
}

function documentStatements(reference: unknown): Statement[] {
  const id = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(reference))?.[1];
  if (!id) throw new Error(`not a policy document reference: ${String(reference)}`);
  return (json.data.aws_iam_policy_document[id] as Block).statement as Statement[];
}

const id = (type: string, key: string, value: string) => findBlock(json, type, key, value).id;
const arn = (type: string, key: string, value: string) => ref(type, id(type, key, value), "arn");
const queueArn = (name: string) => arn("aws_sqs_queue", "name", `${PREFIX}-${name}`);
const secretArn = (name: string) => arn("aws_secretsmanager_secret", "name", `webhook-gateway/dev/${name}`);
const tableArn = (name: string) => arn("aws_dynamodb_table", "name", `${PREFIX}-${name}`);
const bucketArn = () => ref("aws_s3_bucket", Object.keys(blocks(json, "aws_s3_bucket"))[0]!, "arn");

function logsAndXray(functionName: string): Statement[] {
  return [
    {
      sid: "WriteOwnLogs",
      effect: "Allow",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [`${arn("aws_cloudwatch_log_group", "name", `/aws/lambda/${functionName}`)}:*`],
    },
    {
      sid: "XRayTraces",
      effect: "Allow",
      actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      resources: ["*"],
    },
  ];
}

function consumerBase(name: string): Statement[] {
  return [
    {
      sid: "ConsumeOwnQueue",
      effect: "Allow",
      actions: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        // Used by the consumer itself on its own queue only: in-progress copies come back within seconds.
        "sqs:ChangeMessageVisibility",
      ],
      resources: [queueArn(name)],
    },
    {
      sid: "IdempotencyRecords",
      effect: "Allow",
      actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      resources: [tableArn("idempotency")],
    },
    {
      sid: "ReadClaimChecks",
      effect: "Allow",
      actions: ["s3:GetObject"],
      resources: [`${bucketArn()}/events/*`],
    },
    // So that S3 answers a missing (expired) claim check with 404 NoSuchKey, not 403.
    {
      sid: "ReportMissingClaimChecks",
      effect: "Allow",
      actions: ["s3:ListBucket"],
      resources: [bucketArn()],
    },
    // Only the key and the failures map may be touched, and nothing returned.
    {
      sid: "RecordFailures",
      effect: "Allow",
      actions: ["dynamodb:UpdateItem"],
      resources: [tableArn("archive")],
      condition: [
        { test: "ForAllValues:StringEquals", variable: "dynamodb:Attributes", values: ["id", "failures"] },
        { test: "StringEqualsIfExists", variable: "dynamodb:ReturnValues", values: ["NONE"] },
      ],
    },
  ];
}

const botToken = (): Statement => ({
  sid: "ReadSlackBotToken",
  effect: "Allow",
  actions: ["secretsmanager:GetSecretValue"],
  resources: [secretArn("slack-bot-token")],
});

describe("execution roles", () => {
  it("gives each function its own role, assumable by Lambda only", () => {
    const names = Object.values(blocks(json, "aws_iam_role")).map((role) => role.name);
    expect(names.sort()).toEqual(
      ["archive", "github", "ingest", "notifier", "slack"].map((n) => `${PREFIX}-${n}`),
    );
    for (const role of Object.values(blocks(json, "aws_iam_role"))) {
      expect(documentStatements(role.assume_role_policy)).toEqual([
        {
          sid: "LambdaAssumeRole",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
        },
      ]);
    }
    expect(text).toHaveResourceWithProperties(IamRole, { name: `${PREFIX}-ingest` });
    expect(json.resource).not.toHaveProperty("aws_iam_role_policy_attachment");
  });

  it("edge: enqueue to the consumer queues, write claim checks, read the two webhook secrets", () => {
    expect(roleStatements(`${PREFIX}-ingest`)).toEqual([
      {
        sid: "EnqueueEvents",
        effect: "Allow",
        actions: ["sqs:SendMessage"],
        resources: ["archive", "github", "slack", "notifier"].map(queueArn),
      },
      {
        sid: "WriteClaimChecks",
        effect: "Allow",
        actions: ["s3:PutObject"],
        resources: [`${bucketArn()}/events/*`],
      },
      {
        sid: "ReadWebhookSecrets",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue"],
        resources: [secretArn("github-webhook-secret"), secretArn("slack-signing-secret")],
      },
      ...logsAndXray(`${PREFIX}-ingest`),
    ]);
  });

  it("archive: its queue, idempotency records, claim checks and writes to the archive table", () => {
    expect(roleStatements(`${PREFIX}-archive`)).toEqual([
      ...consumerBase("archive"),
      {
        sid: "WriteArchive",
        effect: "Allow",
        actions: ["dynamodb:PutItem"],
        resources: [tableArn("archive")],
      },
      ...logsAndXray(`${PREFIX}-archive`),
    ]);
  });

  it("github: its queue, idempotency records, claim checks, its failures on archived events and the GitHub App secret, nothing else", () => {
    expect(roleStatements(`${PREFIX}-github`)).toEqual([
      ...consumerBase("github"),
      {
        sid: "ReadGitHubApp",
        effect: "Allow",
        actions: ["secretsmanager:GetSecretValue"],
        resources: [secretArn("github-app")],
      },
      ...logsAndXray(`${PREFIX}-github`),
    ]);
  });

  it("grants the GitHub App secret to the github consumer only", () => {
    const readers = Object.values(blocks(json, "aws_iam_role"))
      .map((role) => String(role.name))
      .filter((role) =>
        roleStatements(role).some((statement) => statement.resources?.includes(secretArn("github-app"))),
      );
    expect(readers).toEqual([`${PREFIX}-github`]);
  });

  it.each(["slack", "notifier"])(
    "%s: also reads the Slack bot token, and writes only failures to the archive",
    (name) => {
      expect(roleStatements(`${PREFIX}-${name}`)).toEqual([
        ...consumerBase(name),
        botToken(),
        ...logsAndXray(`${PREFIX}-${name}`),
      ]);
    },
  );

  it.each(["archive", "github", "slack", "notifier"])(
    "%s may change the visibility of its own queue's messages only (in-progress copies come back soon)",
    (name) => {
      const granting = roleStatements(`${PREFIX}-${name}`).filter((statement) =>
        statement.actions?.includes("sqs:ChangeMessageVisibility"),
      );
      expect(granting.map((statement) => statement.resources)).toEqual([[queueArn(name)]]);
    },
  );

  it("grants no wildcard action, and a wildcard resource only for X-Ray", () => {
    const xray = new Set(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]);
    const roles = Object.values(blocks(json, "aws_iam_role")).map((role) => String(role.name));
    expect(roles).toHaveLength(5);
    for (const role of roles) {
      for (const statement of roleStatements(role)) {
        expect(statement.effect).toBe("Allow");
        for (const action of statement.actions ?? []) expect(action).not.toContain("*");
        const wildcard = (statement.resources ?? []).some((resource) => resource === "*");
        if (wildcard) {
          expect({ role, sid: statement.sid, actions: statement.actions?.every((a) => xray.has(a)) }).toEqual(
            {
              role,
              sid: "XRayTraces",
              actions: true,
            },
          );
        }
      }
    }
  });

  it("uses wildcards anywhere else only in Deny statements (the bucket's TLS-only policy)", () => {
    for (const [documentId, document] of Object.entries(json.data.aws_iam_policy_document)) {
      for (const statement of document.statement as Statement[]) {
        const wildcardAction = (statement.actions ?? []).some((a) => a === "*" || a.endsWith(":*"));
        if (wildcardAction)
          expect({ documentId, effect: statement.effect }).toEqual({ documentId, effect: "Deny" });
        expect(statement.actions ?? []).not.toContain("*");
      }
    }
  });
});
