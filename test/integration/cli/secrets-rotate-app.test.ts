/**
 * `secrets rotate github --app`: the GitHub App's webhook, through the fake GitHub API, which
 * refuses any `/app/…` request without an RS256 App JWT of the App's id. The key pair is made here.
 */
import { generateKeyPairSync } from "node:crypto";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { secretsCommand } from "../../../src/cli/commands/secrets";
import { MissingVariableError } from "../../../src/cli/errors";
import { AppCredentialsError } from "../../../src/cli/ops/github-app-credentials";
import { type FakeDelivery, type GithubApiFake, startGithubApiFake } from "../../helpers/github-api-fake";
import {
  fakeSecretsManagerClient,
  type SecretsManagerFake,
  startSecretsManagerFake,
} from "../../helpers/secrets-manager-fake";

const SECRET_ID = "webhook-gateway/prod/github-webhook-secret";
const APP_SECRET_ID = "webhook-gateway/prod/github-app";
const DELIVERIES = "/app/hook/deliveries";
const OLD = "old-secret-0";
const APP_ID = "4242";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
/** As GitHub hands it out (PKCS#1), with `\n`-escaped line breaks as `.env` holds it. */
const PEM = privateKey.export({ type: "pkcs1", format: "pem" }).toString().trim();
const APP_ENV = { GITHUB_APP_ID: APP_ID, GITHUB_APP_PRIVATE_KEY: PEM.replace(/\n/g, "\\n") };

let aws: SecretsManagerFake;
let client: SecretsManagerClient;
let github: GithubApiFake;
let out: string[];
let err: string[];
/** What was stored and what GitHub held at each wait. */
let waits: { ms: number; stored: string | undefined; hookSecret: string | undefined }[];

beforeEach(async () => {
  aws = await startSecretsManagerFake();
  client = fakeSecretsManagerClient(aws);
  github = await startGithubApiFake();
  github.app = { appId: APP_ID, key: publicKey };
  github.appHookConfig = {
    url: "https://abc.lambda-url.us-east-1.on.aws/github",
    content_type: "json",
    secret: OLD,
  };
  github.redeliveryStatusCode = 202;
  aws.create(SECRET_ID, OLD);
  out = [];
  err = [];
  waits = [];
});
afterEach(async () => {
  client.destroy();
  await aws.stop();
  await github.stop();
});

const run = (argv: string[], env: Record<string, string> = APP_ENV) =>
  secretsCommand(["rotate", "github", ...argv], {
    env: { ...env, GITHUB_API_URL: github.apiUrl },
    cwd: "/nonexistent",
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    secretsManager: client,
    pollIntervalMs: 0,
    sleep: async (ms) => {
      waits.push({ ms, stored: aws.value(SECRET_ID), hookSecret: github.appHookConfig?.secret });
    },
  });

/** Two earlier deliveries of the App's webhook; returns the newest. */
function seedDeliveries(): FakeDelivery {
  github.addDeliveries(DELIVERIES, [{ event: "push" }]);
  return github.addDeliveries(DELIVERIES, [{ event: "issues", action: "opened", guid: "newest-guid" }])[0]!;
}

/** Nothing printed or thrown may hold a secret, the private key or a JWT. */
function expectNothingSecret(text: string): void {
  expect(text).not.toContain(OLD);
  if (github.appHookConfig?.secret) expect(text).not.toContain(github.appHookConfig.secret);
  expect(text).not.toContain("PRIVATE KEY");
  expect(text).not.toContain(PEM.split("\n")[1]!);
  for (const request of github.requests) {
    const jwt = request.authorization?.replace(/^bearer /i, "");
    if (jwt) expect(text).not.toContain(jwt);
  }
}

test("stores both, waits, sets /app/hook/config with an App JWT, checks a redelivery, then retires", async () => {
  const newest = seedDeliveries();

  const code = await run(["--app", "--stage", "prod"]);

  expect(code).toBe(0);
  const next = github.appHookConfig!.secret!;
  expect(next).toMatch(/^[0-9a-f]{64}$/);
  expect(waits).toEqual([
    { ms: 300_000, stored: JSON.stringify({ current: next, previous: OLD }), hookSecret: OLD },
    { ms: 300_000, stored: JSON.stringify({ current: next, previous: OLD }), hookSecret: next },
  ]);
  expect(aws.value(SECRET_ID)).toBe(next);
  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    "GET /app/hook/config",
    "PATCH /app/hook/config",
    `GET ${DELIVERIES}`,
    `POST ${DELIVERIES}/${newest.id}/attempts`,
    `GET ${DELIVERIES}`,
  ]);
  for (const request of github.requests) {
    expect(request.authorization).toMatch(/^bearer /);
    expect(github.appJwtClaims(request.authorization)).toEqual({
      iss: APP_ID,
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
  }
  expect(github.writes()[0]!.body).toEqual({ secret: next });
  const redelivery = github.deliveries(DELIVERIES).at(-1)!;
  expect(redelivery).toMatchObject({
    guid: "newest-guid",
    redelivery: true,
    event: "issues",
    status_code: 202,
  });
  expect(out).toEqual([
    `Signing as GitHub App ${APP_ID} (its id and key from GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY).`,
    "The App's webhook posts to https://abc.lambda-url.us-east-1.on.aws/github.",
    `Stored a new secret beside the current one in ${SECRET_ID}; both are accepted.`,
    "Waiting 5 min for the edge's cached secrets to expire…",
    "GitHub signs the App's deliveries with the new secret now.",
    "Redelivering the App's newest accepted delivery newest-guid (issues) to check the gateway accepts the new secret (the consumers skip it: already processed).",
    "Redelivery answered 202; retiring the old secret in 5 min…",
    "Rotated the webhook secret of the GitHub App: the old secret is retired.",
  ]);
  expect(err).toEqual([]);
  expectNothingSecret([...out, ...err].join("\n"));
});

test("without App variables, the stage's App secret (what the deployed consumers read) signs the JWT; --no-wait prints the retire command", async () => {
  aws.create(APP_SECRET_ID, JSON.stringify({ appId: Number(APP_ID), privateKey: PEM }));
  seedDeliveries();

  const code = await run(["--app", "--stage", "prod", "--cache-ttl", "90s", "--no-wait"], {});

  expect(code).toBe(0);
  const next = github.appHookConfig!.secret!;
  expect(JSON.parse(aws.value(SECRET_ID)!)).toEqual({ current: next, previous: OLD });
  expect(waits.map((w) => w.ms)).toEqual([90_000]);
  expect(github.requests.every((r) => github.appJwtClaims(r.authorization)?.iss === APP_ID)).toBe(true);
  expect(out.at(-1)).toBe(
    "Redelivery answered 202. Both secrets stay accepted; once deliveries signed with the old one have arrived (90 s), run: webhook-gateway secrets retire github --stage prod",
  );
  expectNothingSecret([...out, ...err].join("\n"));
});

test("GITHUB_APP_SECRET_ID names the App's secret as it does for the consumers", async () => {
  aws.create("team/github-app", JSON.stringify({ app_id: APP_ID, private_key: PEM.replace(/\n/g, "\\n") }));
  seedDeliveries();

  const code = await run(["--app", "--stage", "prod", "--cache-ttl", "0", "--retire-after", "0"], {
    GITHUB_APP_SECRET_ID: "team/github-app",
  });

  expect(code).toBe(0);
  expect(aws.value(SECRET_ID)).toBe(github.appHookConfig!.secret);
  // The stage's own App secret is looked up first; it does not exist here.
  expect(aws.calls.filter((c) => c.operation === "GetSecretValue").map((c) => c.input.SecretId)).toEqual([
    APP_SECRET_ID,
    "team/github-app",
    SECRET_ID,
  ]);
});

test("for a stage, its App secret wins over App variables in the environment or .env (a development App)", async () => {
  const { privateKey: devKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const devPem = devKey.export({ type: "pkcs1", format: "pem" }).toString().trim();
  aws.create(APP_SECRET_ID, JSON.stringify({ appId: Number(APP_ID), privateKey: PEM }));
  seedDeliveries();

  const code = await run(["--app", "--stage", "prod", "--cache-ttl", "0", "--retire-after", "0"], {
    GITHUB_APP_ID: "777",
    GITHUB_APP_PRIVATE_KEY: devPem.replace(/\n/g, "\\n"),
  });

  expect(code).toBe(0);
  expect(out[0]).toBe(`Signing as GitHub App ${APP_ID} (its id and key from the secret ${APP_SECRET_ID}).`);
  expect(github.requests.every((r) => github.appJwtClaims(r.authorization)?.iss === APP_ID)).toBe(true);
  expect(aws.value(SECRET_ID)).toBe(github.appHookConfig!.secret);
});

test("the check redelivers the newest delivery the gateway accepted, not a newer one it refused", async () => {
  const accepted = seedDeliveries();
  github.addDeliveries(DELIVERIES, [{ event: "push", guid: "refused-guid", status_code: 401 }]);

  const code = await run(["--app", "--stage", "prod", "--cache-ttl", "0", "--retire-after", "0"]);

  expect(code).toBe(0);
  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toContain(
    `POST ${DELIVERIES}/${accepted.id}/attempts`,
  );
  expect(out).toContain(
    "Redelivering the App's newest accepted delivery newest-guid (issues) to check the gateway accepts the new secret (the consumers skip it: already processed).",
  );
});

test("an App whose webhook does not post to a gateway's /github endpoint is left alone, nothing stored", async () => {
  github.appHookConfig = { url: "https://ci.example.com/hooks/app", content_type: "json", secret: OLD };

  const error = (await run(["--app", "--stage", "prod"]).catch((e: unknown) => e)) as Error;

  expect(error.message).toBe(
    "the GitHub App's webhook posts to https://ci.example.com/hooks/app, not to a gateway's /github endpoint: nothing was changed (check which App's credentials were used)",
  );
  expect(github.writes()).toEqual([]);
  expect(aws.value(SECRET_ID)).toBe(OLD);
  expect(aws.calls.filter((c) => c.operation !== "GetSecretValue")).toEqual([]);
});

test("GitHub refusing the new secret stores the old one alone again, and the error holds no secret", async () => {
  seedDeliveries();
  github.respond("PATCH", "/app/hook/config", { status: 422, body: { message: "Validation Failed" } });

  const error = (await run(["--app", "--stage", "prod"]).catch((e: unknown) => e)) as Error;

  expect(error.message).toMatch(/^GitHub refused the new secret \(Validation Failed/);
  expect(error.message).toContain(`${SECRET_ID} holds the old secret alone again`);
  expect(aws.value(SECRET_ID)).toBe(OLD);
  expect(github.appHookConfig!.secret).toBe(OLD);
  expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual(["PATCH /app/hook/config"]);
  const patched = (github.writes()[0]!.body as { secret: string }).secret;
  expect(error.message).not.toContain(patched);
  expectNothingSecret([error.message, ...out, ...err].join("\n"));
});

test("with no delivery to redeliver, the check is skipped with a warning and both secrets stay accepted (exit 0)", async () => {
  const code = await run(["--app", "--stage", "prod"]);

  expect(code).toBe(0);
  const next = github.appHookConfig!.secret!;
  expect(next).not.toBe(OLD);
  expect(JSON.parse(aws.value(SECRET_ID)!)).toEqual({ current: next, previous: OLD });
  expect(waits.map((w) => w.ms)).toEqual([300_000]);
  expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual(["PATCH /app/hook/config"]);
  expect(err).toEqual([
    "Warning: the GitHub App has no delivery to redeliver, so nothing checked that the gateway accepts the new secret.",
    "Both secrets stay accepted. Once a delivery is answered 2xx (the App's settings > Advanced > Recent Deliveries), run: webhook-gateway secrets retire github --stage prod",
  ]);
});

test("a redelivery not answered 2xx keeps both secrets and says how to retire later (exit 1)", async () => {
  seedDeliveries();
  github.redeliveryStatusCode = 401;

  const code = await run(["--app", "--stage", "prod", "--cache-ttl", "0"]);

  expect(code).toBe(1);
  expect(JSON.parse(aws.value(SECRET_ID)!)).toEqual({ current: github.appHookConfig!.secret, previous: OLD });
  expect(err).toEqual([
    "The redelivery to the GitHub App was answered 401, not 2xx.",
    "Both secrets stay accepted. Once deliveries succeed, run: webhook-gateway secrets retire github --stage prod",
  ]);
});

test("credentials that are missing, a token, or not the App's are refused before anything is stored", async () => {
  await expect(run(["--app", "--local"], {})).rejects.toThrow(MissingVariableError);
  await expect(run(["--app", "--local"], {})).rejects.toThrow("GITHUB_APP_ID is not set");
  await expect(run(["--app", "--stage", "prod"], { GITHUB_APP_ID: APP_ID })).rejects.toThrow(
    "GITHUB_APP_PRIVATE_KEY is not set",
  );
  await expect(run(["--app", "--stage", "prod"], {})).rejects.toThrow(
    `GITHUB_APP_ID is not set (the GitHub App's id: the secret ${APP_SECRET_ID} does not exist, and set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY, or GITHUB_APP_SECRET_ID)`,
  );
  expect(github.requests).toEqual([]);

  // Signed for another App id: GitHub answers 401 to the first read.
  const error = (await run(["--app", "--stage", "prod"], { ...APP_ENV, GITHUB_APP_ID: "999" }).catch(
    (e: unknown) => e,
  )) as Error;
  expect(error.message).toContain("A JSON web token could not be decoded");
  expectNothingSecret(error.message);
  expect(github.writes()).toEqual([]);
  expect(aws.value(SECRET_ID)).toBe(OLD);
  aws.create(APP_SECRET_ID, "ghp_a_token");
  await expect(run(["--app", "--stage", "prod"], {})).rejects.toThrow(AppCredentialsError);
  await expect(run(["--app", "--stage", "prod"], {})).rejects.toThrow(
    `the secret ${APP_SECRET_ID} holds a token, not {"appId", "privateKey"}`,
  );
  // Refused before asking GitHub anything: only the 401 read above.
  expect(github.requests).toHaveLength(1);
  expect(aws.calls.filter((c) => c.operation !== "GetSecretValue")).toEqual([]);
});

test("--app is exclusive with --repo, --org and --hook-id", async () => {
  await expect(run(["--app", "--repo", "octo/hello"])).rejects.toThrow("--app is exclusive with --repo");
  await expect(run(["--app", "--org", "octo", "--hook-id", "7"])).rejects.toThrow(
    "--app is exclusive with --org and --hook-id",
  );
  await expect(run(["--app", "--hook-id", "7"])).rejects.toThrow("--app is exclusive with --hook-id");
  await expect(run([])).rejects.toThrow("give exactly one of --repo, --org or --app");
  expect(github.requests).toEqual([]);
  expect(aws.calls).toEqual([]);
});
