/**
 * `webhook-gateway fixtures record`: fixtures written from a running local runtime's archive,
 * from GitHub's delivery log (the fake) and from a stage's archive table (dynalite); each one then
 * sent by replay's code path with the status it expects.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturesCommand } from "../../../src/cli/commands/fixtures";
import { replay } from "../../../src/cli/replay";
import { ArchiveStore, createArchiveTable } from "../../../src/consumers";
import { loadFixture, loadFixtures } from "../../../src/fixtures/load";
import { type LocalRuntime, startLocalRuntime } from "../../../src/local/runtime";
import { startDynamo } from "../../helpers/emulators";
import { githubEvent, githubExample } from "../../helpers/factories";
import { type GithubApiFake, startGithubApiFake } from "../../helpers/github-api-fake";

const ROOT = join(__dirname, "../../..");
let runtime: LocalRuntime;
let secrets: { github: string; slack: string };
let dataDir: string;
let out: string;
let lines: string[];

const io = (env: Record<string, string> = {}) => ({
  env,
  cwd: "/nonexistent",
  out: (line: string) => lines.push(line),
  err: (line: string) => lines.push(line),
});

async function archived(id: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${runtime.url}/_/events/${encodeURIComponent(id)}`)).status === 200) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${id} never archived`);
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".json"))
    .sort();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "record-runtime-"));
  runtime = await startLocalRuntime({
    port: 0,
    dataDir,
    root: ROOT,
    env: { GITHUB_WEBHOOK_SECRET: "record-test-github", SLACK_SIGNING_SECRET: "record-test-slack" },
    log: () => undefined,
  });
  secrets = { github: "record-test-github", slack: "record-test-slack" };
  const sent = await replay({
    url: runtime.url,
    secrets,
    fixtures: loadFixtures([
      join(ROOT, "fixtures/github/pull_request.opened.json"),
      join(ROOT, "fixtures/github/issues.opened.json"),
      join(ROOT, "fixtures/slack/event_callback.app_mention.json"),
      join(ROOT, "fixtures/slack/command.deploy.json"),
    ]),
  });
  expect(sent.mismatches).toEqual([]);
  await archived("github:da58b4cf-9155-11ef-b9ec-245f0d26b113");
  await archived("slack:Ev081Y2T5QAB");
});

afterAll(async () => {
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), "recorded-"));
  lines = [];
});

afterEach(() => {
  rmSync(out, { recursive: true, force: true });
});

test("an event id from the local archive becomes a fixture with its headers reconstructed, and replays", async () => {
  const code = await fixturesCommand(
    ["record", "github:da58b4cf-9155-11ef-b9ec-245f0d26b113", "--url", runtime.url, "--out", out],
    io(),
  );

  expect(code).toBe(0);
  expect(files(out)).toEqual(["github/pull_request.opened.json"]);
  const fixture = loadFixture(join(out, "github/pull_request.opened.json"));
  const original = loadFixture(join(ROOT, "fixtures/github/pull_request.opened.json"));
  expect(fixture.request.headers).toEqual({
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/recorded",
    "x-github-event": "pull_request",
    "x-github-delivery": "da58b4cf-9155-11ef-b9ec-245f0d26b113",
    "x-github-hook-id": "432178650",
  });
  expect(JSON.parse(fixture.request.body)).toEqual(JSON.parse(original.request.body));
  expect(fixture.expect).toEqual(original.expect);
  expect(lines.at(-1)).toBe(
    "Headers reconstructed from the CloudEvent (the archive keeps payloads, not requests): content-type, user-agent, x-github-event, x-github-delivery, x-github-hook-id.",
  );

  const summary = await replay({ url: runtime.url, secrets, fixtures: loadFixtures([out]) });
  expect(summary.byStatus).toEqual({ 202: 1 });
  expect(summary.mismatches).toEqual([]);
});

test("Slack events by type pattern: named after their type, the verification token redacted, and they replay", async () => {
  const code = await fixturesCommand(
    ["record", "--type", "com.slack.*", "--url", runtime.url, "--out", out],
    io(),
  );

  expect(code).toBe(0);
  expect(files(out)).toEqual(["slack/command.deploy.json", "slack/event_callback.app_mention.json"]);
  for (const file of files(out)) {
    const text = readFileSync(join(out, file), "utf8");
    expect(text).not.toContain("XXYYZZ");
    expect(text).not.toMatch(/x-slack-signature|x-slack-request-timestamp/i);
  }
  const mention = loadFixture(join(out, "slack/event_callback.app_mention.json"));
  expect(JSON.parse(mention.request.body).token).toBe("redacted");
  expect(mention.expect).toEqual(
    loadFixture(join(ROOT, "fixtures/slack/event_callback.app_mention.json")).expect,
  );

  const summary = await replay({ url: runtime.url, secrets, fixtures: loadFixtures([out]) });
  expect(summary.byStatus).toEqual({ 200: 2 });
  expect(summary.mismatches).toEqual([]);
});

test("a file recording the same delivery is kept unless --force; another delivery of the type gets a suffix", async () => {
  const record = (...extra: string[]) =>
    fixturesCommand(["record", "--type", "com.github.*", "--url", runtime.url, "--out", out, ...extra], io());
  await record();
  const first = files(out);
  lines = [];

  await record();
  expect(lines.filter((l) => l.startsWith("kept"))).toHaveLength(2);
  lines = [];
  await record("--force");
  expect(lines.filter((l) => l.startsWith("overwritten"))).toHaveLength(2);

  const other = await replay({
    url: runtime.url,
    secrets,
    fixtures: [{ ...loadFixture(join(out, "github/issues.opened.json")), name: "again" }].map((f) => ({
      ...f,
      request: {
        ...f.request,
        headers: { ...f.request.headers, "x-github-delivery": "7f9e1c2a-0000-4000-8000-000000000001" },
      },
    })),
  });
  expect(other.mismatches).toEqual([]);
  await archived("github:7f9e1c2a-0000-4000-8000-000000000001");
  await fixturesCommand(
    ["record", "github:7f9e1c2a-0000-4000-8000-000000000001", "--url", runtime.url, "--out", out],
    io(),
  );

  expect(first).toEqual(["github/issues.opened.json", "github/pull_request.opened.json"]);
  expect(files(out)).toEqual([
    "github/issues.opened.2.json",
    "github/issues.opened.json",
    "github/pull_request.opened.json",
  ]);
});

describe("GitHub's delivery log", () => {
  let github: GithubApiFake;

  beforeAll(async () => {
    github = await startGithubApiFake();
  });

  afterAll(async () => {
    await github.stop();
  });

  test("a delivery keeps the request headers GitHub sent, without its signatures, and replays", async () => {
    const payload = githubExample("issues", "opened");
    const [delivery] = github.addDeliveries("/repos/octo/hello/hooks/7/deliveries", [
      {
        guid: "0b5c8a10-1111-4222-8333-444455556666",
        event: "issues",
        action: "opened",
        request: {
          headers: {
            Accept: "*/*",
            "content-type": "application/json",
            "User-Agent": "GitHub-Hookshot/044aadd",
            "X-GitHub-Delivery": "0b5c8a10-1111-4222-8333-444455556666",
            "X-GitHub-Event": "issues",
            "X-GitHub-Hook-ID": "7",
            "X-GitHub-Hook-Installation-Target-ID": "79929171",
            "X-GitHub-Hook-Installation-Target-Type": "repository",
            "X-Hub-Signature": "sha1=d03a7d0bb4f0dcbcd1e2d3b9ca54ea2a6d6fef1f",
            "X-Hub-Signature-256": "sha256=0f1c9d7e0e2b6e0b0a5d7b6b79b8ff8e2d2a0bd3c3c4fbb0a0ef53a1b1e1d1c1",
          },
          payload,
        },
      },
    ]);

    const code = await fixturesCommand(
      [
        "record",
        String(delivery!.id),
        "--repo",
        "octo/hello",
        "--hook-id",
        "7",
        "--api-url",
        github.apiUrl,
        "--out",
        out,
      ],
      io({ GITHUB_TOKEN: "test-token" }),
    );

    expect(code).toBe(0);
    expect(github.requests.at(-1)).toMatchObject({
      method: "GET",
      path: `/repos/octo/hello/hooks/7/deliveries/${delivery!.id}`,
    });
    const fixture = loadFixture(join(out, "github/issues.opened.json"));
    expect(fixture.request.headers).toEqual({
      accept: "*/*",
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/044aadd",
      "x-github-delivery": "0b5c8a10-1111-4222-8333-444455556666",
      "x-github-event": "issues",
      "x-github-hook-id": "7",
      "x-github-hook-installation-target-id": "79929171",
      "x-github-hook-installation-target-type": "repository",
    });
    expect(JSON.parse(fixture.request.body)).toEqual(payload);
    expect(fixture.expect).toMatchObject({
      status: 202,
      event: { id: "github:0b5c8a10-1111-4222-8333-444455556666", type: "com.github.issues.opened" },
    });
    expect(lines.some((l) => l.includes("reconstructed"))).toBe(false);

    const summary = await replay({ url: runtime.url, secrets, fixtures: loadFixtures([out]) });
    expect(summary.byStatus).toEqual({ 202: 1 });
  });
});

test("a stage's archive table (dynalite) is read by id", async () => {
  const dynamo = await startDynamo();
  try {
    await createArchiveTable(dynamo.ddb, "webhook-gateway-prod-archive");
    const event = githubEvent({
      name: "push",
      payload: githubExample("push"),
      delivery: "5e1d0c00-aaaa-4bbb-8ccc-000000000042",
      hookId: "99",
    });
    await new ArchiveStore(dynamo.ddb, "webhook-gateway-prod-archive").put(event);

    const code = await fixturesCommand(["record", event.id, "--stage", "prod", "--out", out], {
      ...io(),
      ddb: dynamo.ddb,
    });

    expect(code).toBe(0);
    const fixture = loadFixture(join(out, "github/push.json"));
    expect(fixture.request.headers["x-github-hook-id"]).toBe("99");
    expect(fixture.expect).toEqual({
      status: 202,
      event: { id: event.id, type: "com.github.push", source: event.source, subject: event.subject },
    });
    expect(fixture.description).toContain("the prod archive");
  } finally {
    await dynamo.stop();
  }
});
