import { generateKeyPairSync } from "node:crypto";
import { redeliverCommand } from "../../../src/cli/commands/redeliver";
import { MissingVariableError } from "../../../src/cli/errors";
import { type FakeDelivery, type GithubApiFake, startGithubApiFake } from "../../helpers/github-api-fake";

const NOW = Date.parse("2026-01-02T00:00:00Z");
const PATH = "/repos/octo/hello/hooks/7/deliveries";
const at = (hhmm: string, day = "2026-01-01") => `${day}T${hhmm}:00Z`;

let github: GithubApiFake;
let out: string[];
let err: string[];

beforeEach(async () => {
  github = await startGithubApiFake();
  out = [];
  err = [];
});
afterEach(() => github.stop());

const run = (argv: string[], env: Record<string, string> = { GITHUB_TOKEN: "ghp_test" }) =>
  redeliverCommand(["github", ...argv], {
    env: { ...env, GITHUB_API_URL: github.apiUrl },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    now: () => NOW,
  });

/** A window of attempts: a delivery that failed twice, one that recovered, one that timed out, … */
function seed(path: string): Record<string, FakeDelivery[]> {
  const add = (guid: string, attempts: [string, number][]) =>
    github.addDeliveries(
      path,
      attempts.map(([delivered_at, status_code], i) => ({
        guid,
        delivered_at,
        status_code,
        redelivery: i > 0,
      })),
    );
  // 120 successful deliveries: the listing needs a second page.
  github.addDeliveries(
    path,
    Array.from({ length: 120 }, (_, i) => ({ guid: `ok-${i}`, delivered_at: at("12:00"), status_code: 202 })),
  );
  return {
    failedTwice: add("failed-twice", [
      [at("08:00"), 500],
      [at("09:00"), 502],
    ]),
    recovered: add("recovered", [
      [at("08:30"), 500],
      [at("10:00"), 202],
    ]),
    timedOut: add("timed-out", [[at("11:00"), 0]]),
    exhausted: add("exhausted", [
      [at("01:00"), 500],
      [at("02:00"), 500],
      [at("03:00"), 500],
    ]),
    tooOld: add("too-old", [[at("23:00", "2025-12-31"), 500]]),
  };
}

test("requests one redelivery per delivery whose attempts all failed, the latest attempt each", async () => {
  const d = seed(PATH);

  const code = await run(["--repo", "octo/hello", "--hook-id", "7"]);

  expect(code).toBe(0);
  expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
    `POST ${PATH}/${d.timedOut![0]!.id}/attempts`,
    `POST ${PATH}/${d.failedTwice![1]!.id}/attempts`,
  ]);
  expect(github.writes().map((r) => r.body)).toEqual([undefined, undefined]);
  const pages = github.requests.filter((r) => r.method === "GET");
  expect(pages.map((r) => r.query)).toEqual([{ per_page: "100" }, { per_page: "100", cursor: "100" }]);
  expect(out.at(-1)).toBe(
    "hook 7 of octo/hello since 2026-01-01T00:00:00.000Z: 128 attempts of 124 deliveries; " +
      "3 failed, 2 redelivered, 1 recovered on a later attempt, 1 given up after 3 attempts.",
  );
  expect(err).toEqual([]);
});

test("--dry-run lists the same deliveries and requests nothing", async () => {
  const d = seed(PATH);

  const code = await run(["--repo", "octo/hello", "--hook-id", "7", "--dry-run"]);

  expect(code).toBe(0);
  expect(github.writes()).toEqual([]);
  expect(out.slice(0, 2)).toEqual([
    `would redeliver timed-out (push, last attempt ${d.timedOut![0]!.id} at ${at("11:00")}: no answer)`,
    `would redeliver failed-twice (push, last attempt ${d.failedTwice![1]!.id} at ${at("09:00")}: 502)`,
  ]);
});

test("--max-attempts 4 retries a delivery that failed three times; --since widens the window", async () => {
  const d = seed(PATH);

  await run([
    "--repo",
    "octo/hello",
    "--hook-id",
    "7",
    "--max-attempts",
    "4",
    "--since",
    "2025-12-31T00:00:00Z",
  ]);

  expect(github.writes().map((r) => r.path)).toEqual([
    `${PATH}/${d.timedOut![0]!.id}/attempts`,
    `${PATH}/${d.failedTwice![1]!.id}/attempts`,
    `${PATH}/${d.exhausted![2]!.id}/attempts`,
    `${PATH}/${d.tooOld![0]!.id}/attempts`,
  ]);
});

test("an organization hook uses its own deliveries endpoint", async () => {
  const org = github.addDeliveries("/orgs/octo/hooks/9/deliveries", [
    { delivered_at: at("10:00"), status_code: 503 },
  ]);

  expect(await run(["--org", "octo", "--hook-id", "9"])).toBe(0);

  expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
    `POST /orgs/octo/hooks/9/deliveries/${org[0]!.id}/attempts`,
  ]);
});

test("--app signs an App JWT from GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY for every request", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString().trim().replace(/\n/g, "\\n");
  github.app = { appId: "4242", key: publicKey };
  const app = github.addDeliveries("/app/hook/deliveries", [{ delivered_at: at("10:00"), status_code: 404 }]);

  expect(await run(["--app"], { GITHUB_APP_ID: "4242", GITHUB_APP_PRIVATE_KEY: pem })).toBe(0);

  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    "GET /app/hook/deliveries",
    `POST /app/hook/deliveries/${app[0]!.id}/attempts`,
  ]);
  for (const request of github.requests) {
    expect(request.authorization).toMatch(/^bearer /);
    expect(github.appJwtClaims(request.authorization)).toEqual({
      iss: "4242",
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
  }
  expect(out.at(-1)).toMatch(/^the GitHub App since .*: 1 attempts of 1 deliveries; 1 failed, 1 redelivered/);
});

test("--app without the App's credentials names the variable and makes no request", async () => {
  await expect(run(["--app"])).rejects.toThrow(MissingVariableError);
  await expect(run(["--app"])).rejects.toThrow("GITHUB_APP_ID is not set");
  await expect(run(["--app"], { GITHUB_APP_ID: "4242" })).rejects.toThrow(
    "GITHUB_APP_PRIVATE_KEY is not set",
  );
  expect(github.requests).toEqual([]);
});

test("a refused redelivery is reported and exits 1; the others are still requested", async () => {
  const [first, second] = github.addDeliveries(PATH, [
    { guid: "a", delivered_at: at("10:00"), status_code: 500 },
    { guid: "b", delivered_at: at("11:00"), status_code: 500 },
  ]);
  github.refuseRedelivery.add(second!.id);

  const code = await run(["--repo", "octo/hello", "--hook-id", "7"]);

  expect(code).toBe(1);
  expect(github.writes().map((r) => r.path)).toEqual([
    `${PATH}/${second!.id}/attempts`,
    `${PATH}/${first!.id}/attempts`,
  ]);
  expect(err).toEqual([
    `could not redeliver b (push, last attempt ${second!.id} at ${at("11:00")}: 500): Validation Failed`,
  ]);
  expect(out).toEqual([
    `redelivered a (push, last attempt ${first!.id} at ${at("10:00")}: 500)`,
    "hook 7 of octo/hello since 2026-01-01T00:00:00.000Z: 2 attempts of 2 deliveries; 2 failed, 1 redelivered, 0 recovered on a later attempt, 0 given up after 3 attempts.",
  ]);
});

test("usage mistakes make no request", async () => {
  await expect(run(["--repo", "octo/hello"])).rejects.toThrow("--hook-id must be the hook's numeric id");
  await expect(run(["--repo", "octo/hello", "--app", "--hook-id", "1"])).rejects.toThrow(
    "give exactly one of --repo, --org or --app",
  );
  await expect(run(["--app", "--since", "yesterday"])).rejects.toThrow(
    "--since: expected a duration like 24h",
  );
  await expect(redeliverCommand(["slack"], { out: () => undefined })).rejects.toThrow(
    'expected "redeliver github"',
  );
  expect(github.requests).toEqual([]);
});
