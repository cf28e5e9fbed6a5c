import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsCommand } from "../../../src/cli/commands/secrets";
import {
  fakeSecretsManagerClient,
  type SecretsManagerFake,
  startSecretsManagerFake,
} from "../../helpers/secrets-manager-fake";

const GITHUB_SECRET = "webhook-gateway/prod/github-webhook-secret";

let aws: SecretsManagerFake;
let client: SecretsManagerClient;
let cwd: string;
let out: string[];

beforeEach(async () => {
  aws = await startSecretsManagerFake();
  client = fakeSecretsManagerClient(aws);
  cwd = mkdtempSync(join(tmpdir(), "secrets-"));
  out = [];
});
afterEach(async () => {
  client.destroy();
  await aws.stop();
});

const run = (argv: string[], stdin = "", env: Record<string, string> = {}) =>
  secretsCommand(argv, {
    env,
    cwd,
    out: (line) => out.push(line),
    err: (line) => out.push(line),
    readStdin: async () => stdin,
    secretsManager: client,
  });

test("stores the value from stdin in the stage's secret, and never prints it", async () => {
  aws.create(GITHUB_SECRET);

  const code = await run(["set", "github", "--value-from-stdin", "--stage", "prod"], "n3w-secret\n");

  expect(code).toBe(0);
  expect(aws.calls).toEqual([
    {
      operation: "PutSecretValue",
      // The SDK adds an idempotency token of its own.
      input: { SecretId: GITHUB_SECRET, SecretString: "n3w-secret", ClientRequestToken: expect.any(String) },
    },
  ]);
  expect(out).toEqual([`Stored a new value of ${GITHUB_SECRET} (version v1).`]);
});

test("--rotate reads the current value first and stores current and previous", async () => {
  aws.create(GITHUB_SECRET, '{"current":"old-1","previous":"older-0"}');

  const code = await run(["set", "github", "--value-from-env", "NEW", "--rotate", "--stage", "prod"], "", {
    NEW: "new-2",
  });

  expect(code).toBe(0);
  expect(aws.calls.map((c) => c.operation)).toEqual(["GetSecretValue", "PutSecretValue"]);
  expect(aws.calls[0]!.input).toEqual({ SecretId: GITHUB_SECRET });
  expect(JSON.parse(aws.value(GITHUB_SECRET)!)).toEqual({ current: "new-2", previous: "old-1" });
  expect(out.join("\n")).not.toMatch(/new-2|old-1/);
});

test("--rotate on a secret without a value fails and writes nothing", async () => {
  aws.create("webhook-gateway/dev/slack-signing-secret");

  await expect(run(["set", "slack", "--value-from-stdin", "--rotate"], "abc")).rejects.toThrow(
    "webhook-gateway/dev/slack-signing-secret has no value yet: nothing to rotate from",
  );
  expect(aws.calls.map((c) => c.operation)).toEqual(["GetSecretValue"]);
});

test("a secret the stack never created fails with Secrets Manager's error", async () => {
  await expect(run(["set", "github", "--value-from-stdin"], "abc")).rejects.toThrow(
    "Secrets Manager can't find the specified secret.",
  );
});

test("--local writes .env (mode 600) and --rotate keeps the old value second", async () => {
  writeFileSync(join(cwd, ".env"), "PORT=3001\nGITHUB_WEBHOOK_SECRET=old\n# note\n");

  expect(await run(["set", "github", "--local", "--value-from-stdin", "--rotate"], "n3w-v4lue")).toBe(0);
  expect(await run(["set", "slack", "--local", "--value-from-stdin"], "sl4ck")).toBe(0);

  expect(readFileSync(join(cwd, ".env"), "utf8")).toBe(
    "PORT=3001\nGITHUB_WEBHOOK_SECRET=n3w-v4lue,old\n# note\nSLACK_SIGNING_SECRET=sl4ck\n",
  );
  expect(statSync(join(cwd, ".env")).mode & 0o777).toBe(0o600);
  expect(aws.calls).toEqual([]);
  expect(out.join("\n")).not.toMatch(/n3w-v4lue|sl4ck/);
});

test("usage mistakes are refused before any call", async () => {
  await expect(run(["set", "gitlab", "--value-from-stdin"])).rejects.toThrow(
    "secrets set needs one of github, slack, slack-bot-token",
  );
  await expect(run(["set", "github"])).rejects.toThrow(
    "give exactly one of --value-from-stdin or --value-from-env",
  );
  await expect(run(["set", "slack-bot-token", "--value-from-stdin", "--rotate"])).rejects.toThrow(
    "--rotate applies to webhook secrets",
  );
  await expect(run(["set", "github", "--value-from-stdin"], "\n")).rejects.toThrow(
    "the value from stdin is empty",
  );
  expect(aws.calls).toEqual([]);
});
