import { registerGithubCommand } from "../../../src/cli/commands/register";
import { type GithubApiFake, startGithubApiFake } from "../../helpers/github-api-fake";

const URL_BASE = "https://abc.lambda-url.us-east-1.on.aws/";
const PAYLOAD_URL = "https://abc.lambda-url.us-east-1.on.aws/github";
const HOOKS = "/repos/octo/hello/hooks";

let github: GithubApiFake;
let out: string[];
let err: string[];

beforeEach(async () => {
  github = await startGithubApiFake();
  out = [];
  err = [];
});
afterEach(() => github.stop());

const run = (argv: string[]) =>
  registerGithubCommand(argv, {
    env: { GITHUB_TOKEN: "ghp_test", GITHUB_API_URL: github.apiUrl, GITHUB_WEBHOOK_SECRET: "s3cret,old" },
    cwd: "/nonexistent",
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    sleep: async () => undefined,
  });

const expectedConfig = { url: PAYLOAD_URL, content_type: "json", insecure_ssl: "0", secret: "s3cret" };

test("creates the hook with json, TLS verification and the newest secret, then reports the ping", async () => {
  const code = await run(["--repo", "octo/hello", "--url", URL_BASE, "--events", "push,pull_request"]);

  expect(code).toBe(0);
  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    `GET ${HOOKS}`,
    `POST ${HOOKS}`,
    `GET ${HOOKS}/1/deliveries`,
  ]);
  expect(github.requests[1]!.body).toEqual({
    name: "web",
    active: true,
    events: ["pull_request", "push"],
    config: expectedConfig,
  });
  expect(github.requests[0]!.authorization).toBe("token ghp_test");
  expect(out).toEqual([
    `Created webhook 1 on octo/hello → ${PAYLOAD_URL} (push, pull_request)`,
    "Ping delivery guid-1001 succeeded: 200.",
  ]);
  expect(out.join("\n")).not.toContain("s3cret");
});

test("a second run writes nothing but a ping, and reports the new ping", async () => {
  await run(["--repo", "octo/hello", "--url", URL_BASE, "--events", "push,pull_request"]);
  github.requests.length = 0;
  out.length = 0;

  const code = await run(["--repo", "octo/hello", "--url", URL_BASE, "--events", "pull_request,push"]);

  expect(code).toBe(0);
  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    `GET ${HOOKS}`,
    `GET ${HOOKS}/1/deliveries`,
    `POST ${HOOKS}/1/pings`,
    `GET ${HOOKS}/1/deliveries`,
  ]);
  expect(github.writes().filter((r) => r.method === "PATCH" || r.path === HOOKS)).toEqual([]);
  expect(out).toEqual([
    `Unchanged: webhook 1 on octo/hello → ${PAYLOAD_URL} (pull_request, push)`,
    "Ping delivery guid-1002 succeeded: 200.",
  ]);
});

test("updates an existing hook whose events differ, with the full config", async () => {
  github.addHook(HOOKS, { id: 7, active: true, events: ["push"], config: { ...expectedConfig } });
  github.addHook(HOOKS, {
    id: 8,
    active: true,
    events: ["*"],
    config: { url: "https://other.example/hook" },
  });

  const code = await run(["--repo", "octo/hello", "--url", URL_BASE, "--events", "push,issues"]);

  expect(code).toBe(0);
  const writes = github.writes();
  expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH ${HOOKS}/7`, `POST ${HOOKS}/7/pings`]);
  expect(writes[0]!.body).toEqual({ active: true, events: ["issues", "push"], config: expectedConfig });
  expect(out[0]).toBe(`Updated webhook 7 on octo/hello → ${PAYLOAD_URL} (push, issues)`);
});

test("an organization hook is registered under /orgs", async () => {
  const code = await run(["--org", "octo", "--url", URL_BASE]);

  expect(code).toBe(0);
  expect(github.writes().map((r) => `${r.method} ${r.path}`)).toEqual(["POST /orgs/octo/hooks"]);
  expect((github.writes()[0]!.body as { events: string[] }).events).toEqual([
    "issue_comment",
    "issues",
    "pull_request",
    "push",
    "release",
    "workflow_run",
  ]);
});

test("a failed ping exits 1 with the status the gateway answered", async () => {
  github.pingStatusCode = 401;

  const code = await run(["--repo", "octo/hello", "--url", URL_BASE]);

  expect(code).toBe(1);
  expect(err).toEqual(["Ping delivery guid-1001 failed: the gateway answered 401."]);
});

test("no ping within the timeout exits 1 after polling", async () => {
  github.pingStatusCode = null;

  const code = await run(["--repo", "octo/hello", "--url", URL_BASE, "--ping-timeout", "0"]);

  expect(code).toBe(1);
  expect(err).toEqual(["No ping delivery within 0 s; check the hook's Recent Deliveries on GitHub."]);
});

test("usage mistakes are UsageErrors and make no request", async () => {
  await expect(run(["--url", URL_BASE])).rejects.toThrow("give exactly one of --repo or --org");
  await expect(run(["--repo", "nope", "--url", URL_BASE])).rejects.toThrow(
    "--repo must look like owner/name",
  );
  await expect(run(["--repo", "octo/hello"])).rejects.toThrow("--url or --outputs is required");
  expect(github.requests).toEqual([]);
});

test("a missing token fails with the variable's name", async () => {
  await expect(
    registerGithubCommand(["--repo", "octo/hello", "--url", URL_BASE], {
      env: { GITHUB_WEBHOOK_SECRET: "x" },
      out: () => undefined,
    }),
  ).rejects.toThrow("GITHUB_TOKEN is not set");
});

test("with --skip-ping a second run makes no POST or PATCH at all", async () => {
  await run(["--repo", "octo/hello", "--url", URL_BASE, "--skip-ping"]);
  github.requests.length = 0;

  const code = await run(["--repo", "octo/hello", "--url", URL_BASE, "--skip-ping"]);

  expect(code).toBe(0);
  expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${HOOKS}`]);
  expect(github.hooks.get(HOOKS)).toHaveLength(1);
});

test("--outputs reads function_url from a saved cdktf output file", async () => {
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const file = join(mkdtempSync(join(tmpdir(), "outputs-")), "outputs.json");
  writeFileSync(file, JSON.stringify({ "webhook-gateway-dev": { function_url: URL_BASE, queue_urls: {} } }));

  const code = await run(["--repo", "octo/hello", "--outputs", file, "--skip-ping"]);

  expect(code).toBe(0);
  expect((github.writes()[0]!.body as { config: { url: string } }).config.url).toBe(PAYLOAD_URL);
});
