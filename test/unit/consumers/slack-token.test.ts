import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import {
  configuredSlackToken,
  requireSlackToken,
  slackTokenSource,
} from "../../../src/consumers/slack-token";

// No emulator serves Secrets Manager; the client is mocked at the SDK boundary.
const secretsManager = new SecretsManagerClient({ region: "us-east-1" });
const mock = mockClient(secretsManager);

beforeEach(() => mock.reset());

test("an inline token is used as is", async () => {
  expect(await slackTokenSource({ token: "xoxb-inline" })()).toBe("xoxb-inline");
});

test("the secret is read once and cached", async () => {
  mock.on(GetSecretValueCommand).resolves({ SecretString: "xoxb-from-secret" });
  const token = slackTokenSource({ secretId: "gateway/slack-bot", secretsManager });

  expect(await Promise.all([token(), token()])).toEqual(["xoxb-from-secret", "xoxb-from-secret"]);
  expect(await token()).toBe("xoxb-from-secret");
  expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
});

test("a JSON secret holding the token is understood", async () => {
  mock.on(GetSecretValueCommand).resolves({ SecretString: '{"token":"xoxb-json"}' });

  expect(await slackTokenSource({ secretId: "s", secretsManager })()).toBe("xoxb-json");
});

test("a failed read is not cached: the next call tries again", async () => {
  mock.on(GetSecretValueCommand).rejectsOnce(new Error("throttled")).resolves({ SecretString: "xoxb-later" });
  const token = slackTokenSource({ secretId: "s", secretsManager });

  await expect(token()).rejects.toThrow("throttled");
  expect(await token()).toBe("xoxb-later");
});

test("an empty secret is an error naming the variable", async () => {
  mock.on(GetSecretValueCommand).resolves({ SecretString: "" });

  await expect(slackTokenSource({ secretId: "s", secretsManager })()).rejects.toThrow(
    /SLACK_BOT_TOKEN_SECRET_ID/,
  );
});

test("the configuration picks the inline token over nothing, and the secret when only it is set", async () => {
  mock.on(GetSecretValueCommand).resolves({ SecretString: "xoxb-from-secret" });

  expect(await configuredSlackToken({ slackBotToken: "xoxb-inline" }, secretsManager)?.()).toBe(
    "xoxb-inline",
  );
  expect(await configuredSlackToken({ slackBotTokenSecretId: "s" }, secretsManager)?.()).toBe(
    "xoxb-from-secret",
  );
  expect(configuredSlackToken({}, secretsManager)).toBeUndefined();
});

test("a consumer that needs the token and has none fails with the variable and the consumer's name", () => {
  expect(() => requireSlackToken({}, secretsManager, "notifier")).toThrow(
    /SLACK_BOT_TOKEN.*required by the notifier consumer/,
  );
});
