import { loadIngestConfig } from "../../../src/edge/config";
import { ConfigError } from "../../../src/shared/errors";

const routes = JSON.stringify([{ name: "archive", queueUrl: "https://sqs/q" }]);

test("reads secrets from the environment as comma-separated lists, with defaults for the rest", () => {
  const config = loadIngestConfig({ GATEWAY_ROUTES: routes, GITHUB_WEBHOOK_SECRET: "new,old" });
  expect(config.secrets).toEqual({ github: { from: "env", values: ["new", "old"] } });
  expect([config.maxBodyBytes, config.maxDepth, config.deadlines]).toEqual([
    6291456,
    64,
    { github: 8000, slack: 2000 },
  ]);
});

test("reads Secrets Manager ids", () => {
  const config = loadIngestConfig({
    GATEWAY_ROUTES: routes,
    SLACK_SIGNING_SECRET_ID: "arn:aws:secretsmanager:x",
  });
  expect(config.secrets).toEqual({
    slack: { from: "secrets-manager", secretId: "arn:aws:secretsmanager:x" },
  });
});

test.each([
  [{ GITHUB_WEBHOOK_SECRET: "s" }, "GATEWAY_ROUTES"],
  [{ GATEWAY_ROUTES: "{", GITHUB_WEBHOOK_SECRET: "s" }, "GATEWAY_ROUTES"],
  [{ GATEWAY_ROUTES: "[]", GITHUB_WEBHOOK_SECRET: "s" }, "GATEWAY_ROUTES"],
  [{ GATEWAY_ROUTES: routes }, "GITHUB_WEBHOOK_SECRET"],
  [{ GATEWAY_ROUTES: routes, GITHUB_WEBHOOK_SECRET: "s", MAX_JSON_DEPTH: "deep" }, "MAX_JSON_DEPTH"],
  [
    { GATEWAY_ROUTES: routes, GITHUB_WEBHOOK_SECRET: "s", GITHUB_WEBHOOK_SECRET_ID: "arn" },
    "GITHUB_WEBHOOK_SECRET",
  ],
])("fails at cold start naming the variable: %j", (env, variable) => {
  expect(() => loadIngestConfig(env)).toThrow(ConfigError);
  expect(() => loadIngestConfig(env)).toThrow(new RegExp(`^${variable}`));
});
