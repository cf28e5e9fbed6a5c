import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadGatewayConfig, readConfigFile } from "../../src/config/load";

const ROOT = "/repo";
const load = (file = {}, env: Record<string, string> = {}) => loadGatewayConfig({ root: ROOT, env, file });

describe("default configuration", () => {
  it("deploys the four shipped consumers with their filters and grants", () => {
    const config = load();
    expect(config.consumers.map((c) => [c.name, c.entry, c.types, c.access])).toEqual([
      ["archive", "handlers/consumers/archive.ts", ["*"], { archiveTable: true, slackBotToken: false }],
      [
        "github",
        "handlers/consumers/github.ts",
        ["com.github.*"],
        { archiveTable: false, slackBotToken: false, githubApp: true },
      ],
      ["slack", "handlers/consumers/slack.ts", ["com.slack.*"], { archiveTable: false, slackBotToken: true }],
      [
        "notifier",
        "handlers/consumers/notifier.ts",
        [
          "com.github.pull_request.opened",
          "com.github.pull_request.closed",
          "com.github.issues.opened",
          "com.github.release.published",
          "com.github.workflow_run.completed",
        ],
        { archiveTable: false, slackBotToken: true },
      ],
    ]);
  });

  it("names everything after the stage, keeps dist/ at the root and caps the edge", () => {
    const config = load();
    expect(config).toMatchObject({
      stage: "dev",
      region: "us-east-1",
      distDir: "/repo/dist",
      secretNames: {
        githubWebhook: "webhook-gateway/dev/github-webhook-secret",
        slackSigningSecret: "webhook-gateway/dev/slack-signing-secret",
        slackBotToken: "webhook-gateway/dev/slack-bot-token",
        githubApp: "webhook-gateway/dev/github-app",
      },
      tags: { project: "webhook-gateway", stage: "dev" },
      edge: { memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: 50 },
      idempotencyTtlSeconds: 604800,
    });
    expect(config.alarms.topicArn).toBeUndefined();
    expect(config.backend).toBeUndefined();
  });
});

describe("gateway.config.json", () => {
  it("merges consumers by name, removes disabled ones and adds new ones with defaults", () => {
    const config = load({
      stage: "prod",
      consumers: [
        { name: "slack", enabled: false },
        { name: "notifier", environment: { NOTIFY_SLACK_CHANNEL: "#eng" }, timeoutSeconds: 60 },
        {
          name: "deploys",
          entry: "handlers/consumers/deploys.ts",
          types: ["com.github.deployment*"],
          fifo: true,
          batchingWindowSeconds: 0,
        },
      ],
    });
    expect(config.consumers.map((c) => c.name)).toEqual(["archive", "github", "notifier", "deploys"]);
    const notifier = config.consumers.find((c) => c.name === "notifier")!;
    expect(notifier).toMatchObject({ timeoutSeconds: 60, environment: { NOTIFY_SLACK_CHANNEL: "#eng" } });
    expect(notifier.access.slackBotToken).toBe(true);
    expect(config.consumers.find((c) => c.name === "deploys")).toMatchObject({
      fifo: true,
      batchSize: 10,
      maxReceiveCount: 5,
      access: { archiveTable: false, slackBotToken: false },
    });
    expect(config.secretNames.githubWebhook).toBe("webhook-gateway/prod/github-webhook-secret");
  });

  it("merges nested sections key by key", () => {
    const config = load({
      edge: { reservedConcurrency: null },
      alarms: { topicArn: "arn:aws:sns:eu-west-1:1:t" },
      tags: { team: "platform" },
    });
    expect(config.edge).toEqual({ memoryMb: 512, timeoutSeconds: 10, reservedConcurrency: null });
    expect(config.alarms).toMatchObject({ topicArn: "arn:aws:sns:eu-west-1:1:t", maxMessageAgeSeconds: 900 });
    expect(config.tags).toEqual({ project: "webhook-gateway", stage: "dev", team: "platform" });
  });

  it("is read from the root, or from GATEWAY_CONFIG, and must be a JSON object", () => {
    const root = mkdtempSync(join(tmpdir(), "gateway-config-"));
    expect(readConfigFile(root, {})).toEqual({});
    writeFileSync(join(root, "gateway.config.json"), '{"stage": "qa"}');
    expect(readConfigFile(root, {})).toEqual({ stage: "qa" });
    writeFileSync(join(root, "other.json"), "[1]");
    expect(() => readConfigFile(root, { GATEWAY_CONFIG: "other.json" })).toThrow(
      /other\.json: must be a JSON object/,
    );
    expect(() => readConfigFile(root, { GATEWAY_CONFIG: "missing.json" })).toThrow(
      /GATEWAY_CONFIG: .*missing\.json does not exist/,
    );
  });
});

describe("environment variables", () => {
  it("override the file", () => {
    const config = load(
      { stage: "qa", region: "eu-west-1" },
      {
        GATEWAY_STAGE: "prod",
        GATEWAY_REGION: "eu-central-1",
        GATEWAY_ALARM_TOPIC_ARN: "arn:aws:sns:eu-central-1:1:pager",
        GATEWAY_LOG_RETENTION_DAYS: "90",
        GATEWAY_EDGE_RESERVED_CONCURRENCY: "none",
        GATEWAY_NOTIFY_SLACK_CHANNEL: "#releases",
        GATEWAY_DIST_DIR: "build/lambda",
        GATEWAY_STATE_BUCKET: "my-tf-state",
      },
    );
    expect(config).toMatchObject({
      stage: "prod",
      region: "eu-central-1",
      alarms: { topicArn: "arn:aws:sns:eu-central-1:1:pager" },
      logRetentionDays: 90,
      edge: { reservedConcurrency: null },
      distDir: "/repo/build/lambda",
      backend: {
        bucket: "my-tf-state",
        key: "webhook-gateway/prod/terraform.tfstate",
        region: "eu-central-1",
      },
    });
    expect(config.consumers.find((c) => c.name === "notifier")!.environment).toEqual({
      NOTIFY_SLACK_CHANNEL: "#releases",
    });
  });

  it("fall back to AWS_REGION only when neither GATEWAY_REGION nor the file names a region", () => {
    expect(load({}, { AWS_REGION: "ap-southeast-2" }).region).toBe("ap-southeast-2");
    expect(load({ region: "eu-west-1" }, { AWS_REGION: "ap-southeast-2" }).region).toBe("eu-west-1");
  });

  it("set the log level (default WARN) and point-in-time recovery (default off)", () => {
    expect(load({}, {})).toMatchObject({ logLevel: "WARN", pointInTimeRecovery: false });
    expect(load({}, { GATEWAY_LOG_LEVEL: "info", GATEWAY_POINT_IN_TIME_RECOVERY: "true" })).toMatchObject({
      logLevel: "INFO",
      pointInTimeRecovery: true,
    });
    expect(load({ logLevel: "ERROR", pointInTimeRecovery: true }, {})).toMatchObject({
      logLevel: "ERROR",
      pointInTimeRecovery: true,
    });
    expect(() => load({}, { GATEWAY_LOG_LEVEL: "loud" })).toThrow(
      /logLevel must be one of DEBUG, INFO, WARN, ERROR \(GATEWAY_LOG_LEVEL\)/,
    );
    expect(() => load({ logLevel: "TRACE" as never }, {})).toThrow(/logLevel must be one of/);
    expect(() => load({}, { GATEWAY_POINT_IN_TIME_RECOVERY: "yes" })).toThrow(
      /GATEWAY_POINT_IN_TIME_RECOVERY must be true or false/,
    );
  });

  it("switch tracing on and set the archive's retention", () => {
    expect(load({}, {})).toMatchObject({ tracing: false, archiveRetentionDays: 30 });
    expect(load({}, { GATEWAY_TRACING: "true", GATEWAY_ARCHIVE_RETENTION_DAYS: "365" })).toMatchObject({
      tracing: true,
      archiveRetentionDays: 365,
    });
    expect(load({ tracing: true, archiveRetentionDays: 7 }, {})).toMatchObject({
      tracing: true,
      archiveRetentionDays: 7,
    });
    expect(() => load({}, { GATEWAY_TRACING: "yes" })).toThrow(/GATEWAY_TRACING must be true or false/);
    expect(() => load({ archiveRetentionDays: 0 }, {})).toThrow(
      /archiveRetentionDays must be a whole number/,
    );
  });

  it("name the variable when a number is not one", () => {
    expect(() => load({}, { GATEWAY_LOG_RETENTION_DAYS: "a week" })).toThrow(
      /GATEWAY_LOG_RETENTION_DAYS must be a whole number/,
    );
  });
});

describe("validation", () => {
  it.each([
    [{ stage: "Prod" }, /stage must be/],
    [{ name: "my-long-gateway-name", stage: "production" }, /name and stage together must be at most 28/],
    [{ logRetentionDays: 10 }, /logRetentionDays must be one of/],
    [{ edge: { reservedConcurrency: 0 } }, /edge\.reservedConcurrency must be a whole number from 1/],
    [{ idempotencyTtlSeconds: 3600 }, /idempotencyTtlSeconds must be a whole number from 604800/],
    [
      { consumers: [{ name: "github", fifo: true }] },
      /consumers\.github\.batchingWindowSeconds must be 0 for a FIFO queue/,
    ],
    [
      { consumers: [{ name: "github", fifo: true, batchingWindowSeconds: 0, batchSize: 20 }] },
      /consumers\.github\.batchSize must be a whole number from 1 to 10,/,
    ],
    [
      { consumers: [{ name: "github", batchSize: 100, batchingWindowSeconds: 0 }] },
      /at least 1 when batchSize is over 10/,
    ],
    [{ consumers: [{ name: "github", maxConcurrency: 1 }] }, /consumers\.github\.maxConcurrency/],
    [{ secretRecoveryWindowDays: 3 }, /secretRecoveryWindowDays must be 0 or 7-30/],
    [
      { consumers: [{ name: "new one", entry: "handlers/consumers/x.ts" }] },
      /consumers\.new one name must be/,
    ],
    [{ consumers: [{ name: "extra" }] }, /a new consumer needs "entry"/],
    [
      { consumers: [{ name: "github", environment: { "1BAD": "x" } }] },
      /consumers\.github\.environment\.1BAD/,
    ],
  ])("rejects %j", (file, message) => {
    expect(() => load(file)).toThrow(message);
  });
});

describe("scheduled redelivery", () => {
  it("is disabled by default, with the handler's defaults ready", () => {
    expect(load().redelivery).toEqual({
      enabled: false,
      schedule: "rate(15 minutes)",
      lookbackMinutes: 60,
      maxAttempts: 3,
      timeoutSeconds: 60,
      memoryMb: 256,
      reservedConcurrency: 1,
    });
    expect(load().secretNames.githubToken).toBe("webhook-gateway/dev/github-token");
  });

  it("is enabled by a redelivery section in the file, unless it says enabled: false", () => {
    expect(load({ redelivery: { repo: "octo/a", hookId: 7, maxAttempts: 5 } }).redelivery).toEqual({
      enabled: true,
      schedule: "rate(15 minutes)",
      repo: "octo/a",
      hookId: 7,
      lookbackMinutes: 60,
      maxAttempts: 5,
      timeoutSeconds: 60,
      memoryMb: 256,
      reservedConcurrency: 1,
    });
    expect(load({ redelivery: { enabled: false, repo: "octo/a" } }).redelivery.enabled).toBe(false);
  });

  it("takes the hook from GATEWAY_REDELIVERY_* variables, replacing the file's", () => {
    const file = { redelivery: { repo: "octo/a", hookId: 7, schedule: "rate(1 hour)" } };
    expect(
      load(file, { GATEWAY_REDELIVERY_ORG: "octo", GATEWAY_REDELIVERY_HOOK_ID: "9" }).redelivery,
    ).toMatchObject({ enabled: true, org: "octo", hookId: 9, schedule: "rate(1 hour)" });
    const app = load(file, {
      GATEWAY_REDELIVERY_APP: "true",
      GATEWAY_REDELIVERY_SCHEDULE: "rate(5 minutes)",
    });
    expect(app.redelivery).toMatchObject({ enabled: true, app: true, schedule: "rate(5 minutes)" });
    expect(app.redelivery).not.toHaveProperty("repo");
    expect(app.redelivery).not.toHaveProperty("hookId");
    expect(
      load({}, { GATEWAY_REDELIVERY_REPO: "octo/b", GATEWAY_REDELIVERY_HOOK_ID: "3" }).redelivery,
    ).toMatchObject({
      enabled: true,
      repo: "octo/b",
      hookId: 3,
    });
    expect(load(file, { GATEWAY_REDELIVERY_ENABLED: "false" }).redelivery.enabled).toBe(false);
  });

  it.each([
    [{ GATEWAY_REDELIVERY_HOOK_ID: "twelve" }, /GATEWAY_REDELIVERY_HOOK_ID must be a whole number/],
    [{ GATEWAY_REDELIVERY_APP: "yes" }, /GATEWAY_REDELIVERY_APP must be true or false/],
    [{ GATEWAY_REDELIVERY_ENABLED: "1" }, /GATEWAY_REDELIVERY_ENABLED must be true or false/],
  ])("names the variable in %j", (env, message) => {
    expect(() => load({}, env)).toThrow(message);
  });

  it.each([
    [{ redelivery: {} }, /redelivery needs exactly one of repo, org or app: true/],
    [{ redelivery: { repo: "octo/a", org: "octo", hookId: 1 } }, /exactly one of repo, org or app/],
    [{ redelivery: { repo: "octo/a" } }, /redelivery\.hookId must be a whole number from 1/],
    [{ redelivery: { repo: "not a repo", hookId: 1 } }, /redelivery\.repo must look like owner\/name/],
    [{ redelivery: { app: true, hookId: 1 } }, /redelivery\.hookId must not be set with app: true/],
    [{ redelivery: { app: true, schedule: "rate(1 minutes)" } }, /redelivery\.schedule must be/],
    [{ redelivery: { app: true, schedule: "every 15 minutes" } }, /redelivery\.schedule must be/],
    [{ redelivery: { app: true, lookbackMinutes: 0 } }, /redelivery\.lookbackMinutes/],
    [{ redelivery: { app: true, lookbackMinutes: 5000 } }, /redelivery\.lookbackMinutes .* to 4320/],
    [{ redelivery: { app: true, maxAttempts: 0 } }, /redelivery\.maxAttempts/],
    [{ redelivery: { app: true, enabled: "yes" } }, /redelivery\.enabled must be true or false/],
  ])("rejects %j", (file, message) => {
    expect(() => load(file as object)).toThrow(message);
  });

  it("accepts the schedule expressions EventBridge does", () => {
    for (const schedule of ["rate(1 minute)", "rate(15 minutes)", "rate(2 hours)", "cron(0/15 * * * ? *)"]) {
      expect(load({ redelivery: { app: true, schedule } }).redelivery.schedule).toBe(schedule);
    }
  });
});
