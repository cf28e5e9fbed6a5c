/**
 * Issue 12's durability acceptance: a burst of signed deliveries to `npm start`, SIGKILL to the
 * whole runtime the moment the last one is answered, a restart on the same data directory; then
 * every delivery answered 202 is archived once and completed by each consumer that runs
 * (archive, github), none processed twice across the two runs, nothing dead-lettered.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerGitHubListeners } from "../../listeners/github";
import { compileFilter } from "../../src/consumers/filter";
import { listenedGitHubTypes } from "../../src/consumers/github";
import { exampleFixtures } from "../../src/fixtures/examples";
import { signFixture } from "../../src/fixtures/sign";
import { DEV_GITHUB_SECRET } from "../../src/local/dev-secrets";
import { type NpmStart, npmStart, processedLines } from "../helpers/npm-start";

jest.setTimeout(240_000);

const DELIVERIES = 240;
const CONCURRENCY = 16;
const RUNNING = ["archive", "github"];

// biome-ignore lint/suspicious/noExplicitAny: inspector answers are read loosely in this test
type Json = Record<string, any>;
const get = async (url: string) => (await fetch(url)).json() as Promise<Json>;

/** The edge routes the github consumer only what its listeners handle (listeners/github.ts). */
const routedToGithub = compileFilter("github", { types: listenedGitHubTypes(registerGitHubListeners) });

/** `com.github.<event>[.<action>]` of a JSON example. */
function githubType(fixture: { request: { headers: Record<string, string>; body: string } }): string {
  let action = "";
  try {
    const payload = JSON.parse(fixture.request.body) as { action?: unknown };
    if (typeof payload.action === "string") action = `.${payload.action}`;
  } catch {
    // form-encoded: routed by its event name alone
  }
  return `com.github.${fixture.request.headers["x-github-event"]}${action}`;
}

/** The examples queued to both consumers, each sent with a fresh delivery id. */
async function burst(url: string): Promise<{ accepted: string[]; other: number[] }> {
  const fixtures = exampleFixtures().filter(
    (f) => f.expect.status === 202 && routedToGithub({ type: githubType(f), source: "" }),
  );
  if (fixtures.length < 10) throw new Error(`only ${fixtures.length} examples reach the github consumer`);
  const accepted: string[] = [];
  const other: number[] = [];
  let next = 0;
  const sender = async () => {
    while (next < DELIVERIES) {
      const fixture = fixtures[next++ % fixtures.length]!;
      const request = signFixture(fixture, { github: DEV_GITHUB_SECRET }, Date.now());
      const delivery = randomUUID();
      const response = await fetch(`${url}${request.path}`, {
        method: "POST",
        headers: { ...request.headers, "x-github-delivery": delivery },
        body: request.body,
      });
      await response.arrayBuffer();
      if (response.status === 202) accepted.push(`github:${delivery}`);
      else other.push(response.status);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  return { accepted, other };
}

/** Waits until the running consumers' queues are empty. */
async function settle(url: string, timeoutMs = 120_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { queues } = await get(`${url}/_/health`);
    if (RUNNING.every((name) => queues[name].ready + queues[name].inflight === 0)) return queues;
    if (Date.now() > deadline) throw new Error(`queues did not drain: ${JSON.stringify(queues)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "gateway-crash-"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test("SIGKILL right after the last 2xx: a restart processes every answered delivery exactly once per consumer", async () => {
  // A record whose consumer was killed mid-way stays claimed (INPROGRESS) until the invocation's
  // deadline (30 s); enough receives that it is retried past it rather than dead-lettered.
  const config = join(dataDir, "gateway.config.json");
  writeFileSync(
    config,
    JSON.stringify({ consumers: RUNNING.map((name) => ({ name, maxReceiveCount: 50 })) }),
  );
  const env = {
    GATEWAY_CONFIG: config,
    LOCAL_VISIBILITY_TIMEOUT_SECONDS: "2",
    GITHUB_WEBHOOK_SECRET: "",
    SLACK_SIGNING_SECRET: "",
    SLACK_BOT_TOKEN: "",
  };
  const state = join(dataDir, "state");
  let first: NpmStart | undefined;
  let second: NpmStart | undefined;
  let firstKilled = false;
  try {
    first = await npmStart(state, env);
    const { accepted, other } = await burst(first.url);
    await first.kill("SIGKILL");
    firstKilled = true;
    expect({ accepted: accepted.length, other }).toEqual({ accepted: DELIVERIES, other: [] });
    const before = processedLines(first.output());
    // The kill came while events were still queued or in flight (else this proves nothing).
    expect(accepted.filter((id) => before.has(`archive ${id}`)).length).toBeLessThan(DELIVERIES);

    second = await npmStart(state, env);
    const queues = await settle(second.url);
    expect(RUNNING.map((name) => queues[name].deadLettered)).toEqual([0, 0]);

    const { events } = await get(`${second.url}/_/events?limit=1000`);
    expect(events.map((e: { id: string }) => e.id).sort()).toEqual([...accepted].sort());

    // Across both runs, no "✓ <consumer> processed <id>" line twice, and none for anything else.
    // (A line can be missing: the kill may fall between the idempotency record's completion and
    // its line, and the restart then rightly skips the event as a duplicate.)
    const lines = processedLines(first.output() + second.output());
    const expected = new Set(RUNNING.flatMap((consumer) => accepted.map((id) => `${consumer} ${id}`)));
    expect([...lines.keys()].filter((key) => !expected.has(key))).toEqual([]);
    expect([...lines].filter(([, n]) => n !== 1)).toEqual([]);

    for (const id of accepted) {
      const detail = await get(`${second.url}/_/events/${encodeURIComponent(id)}`);
      const states = detail.consumers
        .filter((c: { consumer: string }) => RUNNING.includes(c.consumer))
        .map((c: { consumer: string; status: string }) => `${c.consumer} ${c.status}`);
      expect({ id, states }).toEqual({ id, states: ["archive COMPLETED", "github COMPLETED"] });
    }
  } finally {
    if (!firstKilled) await first?.kill("SIGKILL");
    await second?.kill("SIGINT");
  }
});
