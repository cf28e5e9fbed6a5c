import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsCommand } from "../../../src/cli/commands/secrets";
import { type FakeHook, type GithubApiFake, startGithubApiFake } from "../../helpers/github-api-fake";
import {
  fakeSecretsManagerClient,
  type SecretsManagerFake,
  startSecretsManagerFake,
} from "../../helpers/secrets-manager-fake";

const SECRET_ID = "webhook-gateway/prod/github-webhook-secret";
const HOOKS = "/repos/octo/hello/hooks";
const OLD = "old-secret-0";

let aws: SecretsManagerFake;
let client: SecretsManagerClient;
let github: GithubApiFake;
let hook: FakeHook;
let out: string[];
let err: string[];
/** What was stored and what GitHub held at each wait. */
let waits: { ms: number; stored: string | undefined; hookSecret: string | undefined }[];

beforeEach(async () => {
  aws = await startSecretsManagerFake();
  client = fakeSecretsManagerClient(aws);
  github = await startGithubApiFake();
  aws.create(SECRET_ID, OLD);
  hook = github.addHook(HOOKS, {
    id: 7,
    active: true,
    events: ["push"],
    config: { url: "https://abc.lambda-url.us-east-1.on.aws/github", content_type: "json", secret: OLD },
  });
  github.addHook(HOOKS, {
    id: 8,
    active: true,
    events: ["push"],
    config: { url: "https://other.example/hook" },
  });
  out = [];
  err = [];
  waits = [];
});
afterEach(async () => {
  client.destroy();
  await aws.stop();
  await github.stop();
});

const run = (argv: string[], onWait?: () => void) =>
  secretsCommand(argv, {
    env: { GITHUB_TOKEN: "ghp_test", GITHUB_API_URL: github.apiUrl },
    cwd: "/nonexistent",
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    secretsManager: client,
    pollIntervalMs: 0,
    sleep: async (ms) => {
      waits.push({ ms, stored: aws.value(SECRET_ID), hookSecret: hook.config.secret });
      onWait?.();
    },
  });

test("stores both, waits for the cache, updates GitHub, checks the ping, then retires the old secret", async () => {
  const code = await run(["rotate", "github", "--repo", "octo/hello", "--stage", "prod"]);

  expect(code).toBe(0);
  const next = hook.config.secret!;
  expect(next).toMatch(/^[0-9a-f]{64}$/);
  expect(waits).toEqual([
    // Before GitHub changes: the gateway accepts both, GitHub still signs with the old one.
    { ms: 300_000, stored: JSON.stringify({ current: next, previous: OLD }), hookSecret: OLD },
    // Before retiring: GitHub signs with the new one and the gateway still accepts both.
    { ms: 300_000, stored: JSON.stringify({ current: next, previous: OLD }), hookSecret: next },
  ]);
  expect(aws.value(SECRET_ID)).toBe(next);
  expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
    `PATCH ${HOOKS}/7/config`,
    `POST ${HOOKS}/7/pings`,
  ]);
  expect(github.writes()[0]!.body).toEqual({ secret: next });
  expect(out).toEqual([
    "Stored a new secret beside the current one in webhook-gateway/prod/github-webhook-secret; both are accepted.",
    "Waiting 5 min for the edge's cached secrets to expire…",
    "GitHub signs the hook's deliveries with the new secret now.",
    "Ping answered 200; retiring the old secret in 5 min…",
    "Rotated the webhook secret of hook 7 of octo/hello: the old secret is retired.",
  ]);
  expect([...out, ...err].join("\n")).not.toContain(next);
  expect([...out, ...err].join("\n")).not.toContain(OLD);
});

test("--no-wait prints the one command that retires, and that command does", async () => {
  const code = await run([
    "rotate",
    "github",
    "--repo",
    "octo/hello",
    "--hook-id",
    "7",
    "--stage",
    "prod",
    "--cache-ttl",
    "90s",
    "--no-wait",
  ]);

  expect(code).toBe(0);
  expect(waits.map((w) => w.ms)).toEqual([90_000]);
  const next = hook.config.secret!;
  expect(JSON.parse(aws.value(SECRET_ID)!)).toEqual({ current: next, previous: OLD });
  expect(out.at(-1)).toBe(
    "Ping answered 200. Both secrets stay accepted; once deliveries signed with the old one have arrived (90 s), run: webhook-gateway secrets retire github --stage prod",
  );

  out.length = 0;
  expect(await run(["retire", "github", "--stage", "prod"])).toBe(0);
  expect(aws.value(SECRET_ID)).toBe(next);
  expect(out).toEqual([`Retired the old secret: ${SECRET_ID} holds the newest alone.`]);
});

test("an organization hook is updated through /orgs/{org}/hooks/{id}/config; --retire-after sets the second wait", async () => {
  const orgHook = github.addHook("/orgs/octo/hooks", {
    id: 45,
    active: true,
    events: ["push"],
    config: { url: "https://abc.example/github", secret: OLD },
  });

  const code = await run([
    "rotate",
    "github",
    "--org",
    "octo",
    "--hook-id",
    "45",
    "--stage",
    "prod",
    "--retire-after",
    "2m",
  ]);

  expect(code).toBe(0);
  expect(waits.map((w) => w.ms)).toEqual([300_000, 120_000]);
  expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
    "PATCH /orgs/octo/hooks/45/config",
    "POST /orgs/octo/hooks/45/pings",
  ]);
  expect(aws.value(SECRET_ID)).toBe(orgHook.config.secret);
});

test("a ping not answered 2xx keeps both secrets and says how to retire later (exit 1)", async () => {
  github.pingStatusCode = 401;

  const code = await run(["rotate", "github", "--repo", "octo/hello", "--stage", "prod", "--cache-ttl", "0"]);

  expect(code).toBe(1);
  expect(JSON.parse(aws.value(SECRET_ID)!)).toEqual({ current: hook.config.secret, previous: OLD });
  expect(err).toEqual([
    "The ping of hook 7 of octo/hello was answered 401, not 2xx.",
    "Both secrets stay accepted. Once deliveries succeed, run: webhook-gateway secrets retire github --stage prod",
  ]);
});

test("GitHub refusing the new secret stores the old one alone again", async () => {
  // The hook disappears while the command waits for the cache.
  await expect(
    run(["rotate", "github", "--repo", "octo/hello", "--stage", "prod"], () => github.hooks.set(HOOKS, [])),
  ).rejects.toThrow(`GitHub refused the new secret (Not Found`);

  expect(aws.value(SECRET_ID)).toBe(OLD);
  expect(hook.config.secret).toBe(OLD);
});

test("a rotation that is not retired yet, or an unknown hook, is refused before anything is stored", async () => {
  aws.create(SECRET_ID, JSON.stringify({ current: "a", previous: "b" }));
  await expect(run(["rotate", "github", "--repo", "octo/hello", "--stage", "prod"])).rejects.toThrow(
    `${SECRET_ID} holds 2 secrets: a rotation is not finished`,
  );
  aws.create(SECRET_ID, OLD);
  await expect(
    run(["rotate", "github", "--repo", "octo/hello", "--hook-id", "99", "--stage", "prod"]),
  ).rejects.toThrow("Not Found");

  expect(aws.calls.map((c) => c.operation)).toEqual(["GetSecretValue", "GetSecretValue"]);
  expect(github.writes()).toEqual([]);
});

test("rotate slack prints the manual steps and exits 2; usage mistakes are UsageErrors", async () => {
  expect(await run(["rotate", "slack"])).toBe(2);
  expect(out.join("\n")).toContain("Slack signing secrets cannot be rotated through an API");
  expect(out.join("\n")).toContain("webhook-gateway secrets set slack --value-from-stdin --rotate");
  expect(out.join("\n")).toContain("webhook-gateway secrets retire slack");

  await expect(run(["rotate", "github", "--app", "--repo", "octo/hello"])).rejects.toThrow(
    "--app is exclusive with --repo",
  );
  await expect(run(["rotate", "github", "--org", "octo"])).rejects.toThrow("--org needs --hook-id");
  await expect(run(["rotate", "github", "--repo", "octo/hello", "--retire-after", "soon"])).rejects.toThrow(
    '--retire-after: expected a duration like 300s, 5m or 1h, got "soon"',
  );
  await expect(
    run(["rotate", "github", "--repo", "octo/hello", "--local", "--stage", "prod"]),
  ).rejects.toThrow("--stage does not apply with --local");
  expect(github.requests).toEqual([]);
  expect(aws.calls).toEqual([]);
});
