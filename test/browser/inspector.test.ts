/**
 * Issue 14's acceptance, in a real browser (headless Chromium through playwright-core) against the
 * local runtime on a free port: the live list, the detail, the actions (replay, reprocess, save as
 * fixture, copy as curl, dead-letter redrive), the counters, and the page's defences against other
 * origins and foreign Host headers.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Webhooks } from "@octokit/webhooks";
import type { Page } from "playwright-core";
import { replay } from "../../src/cli/replay";
import { signGitHub } from "../../src/edge/signatures/github";
import { loadFixtures } from "../../src/fixtures/load";
import { type LocalRuntime, startLocalRuntime } from "../../src/local/runtime";
import { githubExample } from "../helpers/factories";
import { type Browser, describeWithBrowser, openBrowser, withScreenshots } from "./support/browser";

jest.setTimeout(120_000);

const SECRETS = { github: "test-inspector-github-secret", slack: "test-inspector-slack-secret" };
// biome-ignore lint/suspicious/noExplicitAny: API answers are read loosely here
type Json = Record<string, any>;

let dir: string;
let runtime: LocalRuntime;
let browser: Browser;
let page: Page;
/** The GitHub listener throws for issues while this is true (a bug, then its fix). */
let listenerBroken = true;

function githubListeners(webhooks: Webhooks): void {
  // The edge routes the github consumer only the events its listeners handle: push and issues.opened.
  webhooks.on("push", () => undefined);
  webhooks.on("issues.opened", ({ payload }) => {
    if (listenerBroken) throw new Error(`listener broke on issue #${payload.issue.number}`);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "inspector-browser-"));
  // Two receives before the dead-letter queue, so a poison event gets there quickly.
  writeFileSync(
    join(dir, "gateway.config.json"),
    JSON.stringify({ consumers: [{ name: "github", maxReceiveCount: 2 }] }),
  );
  runtime = await startLocalRuntime({
    port: 0,
    root: dir,
    dataDir: join(dir, ".data"),
    env: { GITHUB_WEBHOOK_SECRET: SECRETS.github, SLACK_SIGNING_SECRET: SECRETS.slack, LOG_LEVEL: "SILENT" },
    // Long enough that a slow first attempt (the emulators run in threads of their own) is not received twice.
    visibilityTimeoutSeconds: 5,
    log: () => undefined,
    listeners: { github: githubListeners, slack: () => undefined },
  });
  browser = await openBrowser();
  page = browser.page;
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function sendGitHub(name: string, payload: Json): Promise<{ id: string; status: number }> {
  const delivery = randomUUID();
  const body = Buffer.from(JSON.stringify(payload));
  const response = await fetch(`${runtime.url}/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": name,
      "x-github-delivery": delivery,
      "x-hub-signature-256": signGitHub(SECRETS.github, body),
    },
    body,
  });
  return { id: `github:${delivery}`, status: response.status };
}

const getJson = async (path: string): Promise<Json> =>
  (await fetch(`${runtime.url}${path}`)).json() as Promise<Json>;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until no running consumer has messages ready or in flight (slack and notifier are off here). */
async function settled(): Promise<void> {
  const running = runtime.consumers.filter((c) => c.enabled).map((c) => c.name);
  await until(
    () => getJson("/_/health"),
    (h) => running.every((name) => h.queues[name].ready + h.queues[name].inflight === 0),
    "queues to drain",
  );
}

const row = (id: string) => page.locator(`#list tbody tr[data-key="${id}"]`);
const chip = (id: string, consumer: string) => row(id).locator(`.chip[data-consumer="${consumer}"]`);
const detailConsumer = (consumer: string) =>
  page.locator(`#detail .consumers tr.consumer[data-consumer="${consumer}"]`);
const detailError = (consumer: string) =>
  page.locator(`#detail .consumers tr.last-error[data-consumer="${consumer}"]`);

async function openDetail(id: string): Promise<void> {
  await row(id).locator("a").click();
  await page.locator("#detail-heading").waitFor();
}

/** Raw HTTP with any Host header (fetch will not send a custom Host). */
function rawRequest(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const { port } = new URL(runtime.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: Number(port),
        path,
        method: options.method ?? "GET",
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The deliveries the tests send, in order (a push, then an issue whose listener throws). */
let push: { id: string; status: number };
let issue: { id: string; status: number };

describeWithBrowser("the inspector page", () => {
  test("a delivery appears in the open page without a reload; its detail shows the payload and each consumer's state", async () => {
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`${runtime.url}/`);
    await page.locator("#live.on").waitFor();
    await withScreenshots(page, "live list and detail", async () => {
      push = await sendGitHub("push", githubExample("push"));
      expect(push.status).toBe(202);

      await row(push.id).waitFor();
      await chip(push.id, "github").and(page.locator('[data-state="processed"]')).waitFor();
      await chip(push.id, "archive").and(page.locator('[data-state="processed"]')).waitFor();
      await expect(row(push.id).locator("td.status").textContent()).resolves.toBe("202");
      await openDetail(push.id);

      await expect(page.locator("#detail-heading").textContent()).resolves.toBe("com.github.push");
      const payload = page.locator('#detail [data-json="payload"]');
      await expect(payload.textContent()).resolves.toContain('"ref": "refs/tags/simple-tag"');
      await expect(detailConsumer("archive").getAttribute("data-state")).resolves.toBe("processed");
      await expect(detailConsumer("github").getAttribute("data-state")).resolves.toBe("processed");
      await expect(page.locator("#detail .kv").last().textContent()).resolves.toContain(
        "sha256=•••• (masked)",
      );
      expect(requests.every((url) => url.startsWith(`${runtime.url}/`))).toBe(true);
    });
  });

  test("a listener that throws shows its error, then the event is dead-lettered", async () => {
    await withScreenshots(page, "listener error", async () => {
      issue = await sendGitHub("issues", githubExample("issues", "opened"));
      await row(issue.id).waitFor();
      await openDetail(issue.id);

      // Two receives a visibility timeout apart, then the dead-letter queue.
      await chip(issue.id, "github")
        .and(page.locator('[data-state="dead-lettered"]'))
        .waitFor({ timeout: 30_000 });
      await detailConsumer("github").and(page.locator('[data-state="dead-lettered"]')).waitFor();
      const error = detailError("github").locator(".error-message");
      // The listener's own error, unwrapped from @octokit/webhooks' AggregateError.
      await expect(error.textContent()).resolves.toMatch(/^Error: listener broke on issue #\d+$/);
      const stack = await detailError("github").locator("pre.stack").textContent();
      expect(stack).toContain("test/browser/inspector.test.ts");
      // Every failed attempt is counted, and the detail shows them all (SQS decides how many before the DLQ).
      const failures = (await getJson("/_/metrics")).consumers.github.failed;
      expect(failures).toBeGreaterThanOrEqual(1);
      await detailConsumer("github").locator(`[data-attempts="${failures}"]`).waitFor();
      await expect(chip(issue.id, "archive").getAttribute("data-state")).resolves.toBe("processed");
    });
  });

  test("redrive empties the dead-letter queue and the events are processed", async () => {
    await withScreenshots(page, "redrive", async () => {
      listenerBroken = false;
      const before = (await getJson("/_/metrics")).consumers.github.processed;
      await page.locator("#dlq summary").click();
      await page.locator('#dlq [data-consumer="github"] li[data-event]').first().waitFor();
      await page.getByRole("button", { name: "Redrive all of github" }).click();

      await chip(issue.id, "github").and(page.locator('[data-state="processed"]')).waitFor();
      await settled();
      const metrics = await getJson("/_/metrics");
      expect(metrics.deadLettered.github).toBe(0);
      expect(metrics.consumers.github.processed).toBe(before + 1);
      await expect(page.locator("#dlq-total").textContent()).resolves.toBe("0");
    });
  });

  test("reprocess runs one consumer exactly once more", async () => {
    await withScreenshots(page, "reprocess", async () => {
      await openDetail(push.id);
      await settled();
      const before = (await getJson("/_/metrics")).consumers;
      const attempts = Number(await detailConsumer("github").getAttribute("data-attempts"));
      const record = (await getJson(`/_/events/${push.id}`)).consumers;

      await page.getByRole("button", { name: "Reprocess github" }).click();
      const result = page.locator("#detail .result", { hasText: "github will run" });
      await result.waitFor({ timeout: 30_000 });
      const run = /\(run (r[a-z0-9]+)\)\.$/.exec((await result.textContent()) ?? "")?.[1];
      expect(run).toBeDefined();
      await until(
        () => getJson("/_/metrics"),
        (m) => m.consumers.github.processed > before.github.processed,
        "the reprocess",
      );
      await settled();

      const after = (await getJson("/_/metrics")).consumers;
      expect(after.github.processed).toBe(before.github.processed + 1);
      expect(after.github.duplicate).toBe(before.github.duplicate);
      expect(after.archive).toEqual(before.archive);
      // The run shows against the event: one more attempt, processed; the original record is kept.
      await detailConsumer("github")
        .locator(`[data-attempts="${attempts + 1}"]`)
        .waitFor();
      await expect(detailConsumer("github").getAttribute("data-state")).resolves.toBe("processed");
      await expect(detailConsumer("github").locator(".sub").textContent()).resolves.toBe("record COMPLETED");
      const archived = await getJson(`/_/events/${push.id}`);
      expect(archived.reprocess).toEqual({
        count: 1,
        lastRun: run,
        lastConsumer: "github",
        lastAt: expect.any(String),
      });
      expect(archived.consumers).toEqual(record);
    });
  });

  test("replay sends the signed delivery again and every consumer skips it as a duplicate", async () => {
    await withScreenshots(page, "replay", async () => {
      await openDetail(push.id);
      await settled();
      const before = (await getJson("/_/metrics")).consumers;

      await page.getByRole("button", { name: "Replay through the edge" }).click();
      await page
        .locator("#detail .result", { hasText: "Replayed: the edge answered 202." })
        .waitFor({ timeout: 30_000 });
      await until(
        () => getJson("/_/metrics"),
        (m) =>
          m.consumers.github.duplicate > before.github.duplicate &&
          m.consumers.archive.duplicate > before.archive.duplicate,
        "the duplicates",
      );
      await settled();

      const after = (await getJson("/_/metrics")).consumers;
      expect(after.github).toEqual({ ...before.github, duplicate: before.github.duplicate + 1 });
      expect(after.archive).toEqual({ ...before.archive, duplicate: before.archive.duplicate + 1 });
      await detailConsumer("github").and(page.locator('[data-state="duplicate"]')).waitFor();
    });
  });

  test("save as fixture writes a file the replay command sends with the expected status", async () => {
    await withScreenshots(page, "save as fixture", async () => {
      await openDetail(push.id);
      await page.getByRole("button", { name: "Save as fixture" }).click();
      await page
        .locator("#detail .result", { hasText: "Saved fixtures/github/push.json" })
        .waitFor({ timeout: 30_000 });

      const file = join(dir, "fixtures", "github", "push.json");
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain(SECRETS.github);
      expect(text).not.toMatch(/x-hub-signature|sha256=/i);
      const fixtures = loadFixtures([file]);
      expect(fixtures[0]!.expect).toEqual({
        status: 202,
        event: expect.objectContaining({ id: push.id, type: "com.github.push" }),
      });
      const summary = await replay({ url: runtime.url, fixtures, secrets: SECRETS });
      expect(summary.byStatus).toEqual({ 202: 1 });
      expect(summary.mismatches).toEqual([]);
    });
  });

  test("copy as curl gives a command that the edge accepts", async () => {
    await withScreenshots(page, "copy as curl", async () => {
      await openDetail(push.id);
      await page.getByRole("button", { name: "Copy as curl" }).click();
      const box = page.locator("#detail textarea.curl");
      await box.waitFor();
      const command = await box.inputValue();

      expect(command).toContain(`${runtime.url}/github`);
      expect(command).toMatch(/-H 'x-hub-signature-256: sha256=[0-9a-f]{64}'/);
      // The runtime runs in this process: the command must run asynchronously for it to answer.
      const { stdout } = await promisify(execFile)("bash", ["-c", command], { encoding: "utf8" });
      expect(JSON.parse(stdout)).toEqual({ id: push.id });
    });
  });

  test("counters show received, accepted, rejected by reason and per consumer", async () => {
    await withScreenshots(page, "counters", async () => {
      const unsigned = await fetch(`${runtime.url}/github`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": randomUUID(),
        },
        body: "{}",
      });
      expect(unsigned.status).toBe(401);
      await page.locator('#list tbody tr[data-state="rejected"]').first().waitFor();
      await page.locator('[data-counter="rejected-reasons"]', { hasText: "invalid_signature 1" }).waitFor();
      // Every delivery of these tests was sent alone: none joined another's send.
      await expect(page.locator('[data-counter="joined"]').textContent()).resolves.toBe("0 copies joined");
      const metrics = await getJson("/_/metrics");
      const card = page.locator('#counters [data-consumer="github"]');
      await expect(card.getAttribute("data-processed")).resolves.toBe(
        String(metrics.consumers.github.processed),
      );
      await page.selectOption('select[name="state"]', "rejected");
      await page.getByRole("button", { name: "Apply" }).click();
      await until(
        () => page.locator("#list tbody tr").count(),
        (n) => n === 1,
        "the rejected request only",
      );
      await expect(page.locator("#list tbody tr td.status").textContent()).resolves.toBe("401");
      await page.getByRole("button", { name: "Clear" }).click();
    });
  });

  test("a page from another origin cannot trigger an action", async () => {
    const before = await getJson("/_/metrics");
    const attacker = await serveAttacker(runtime.url, push.id);
    try {
      const other = await browser.context.newPage();
      await other.goto(attacker.url);
      await other.locator("#done").waitFor({ state: "attached" });
      await other.close();

      const after = await getJson("/_/metrics");
      expect(after.received).toBe(before.received);
      expect(attacker.answers()).toEqual(["fetch: opaque", "form: sent"]);
    } finally {
      attacker.server.close();
    }
  });

  test("a delivery streamed while the list is still loading stays in the list once it loads", async () => {
    // The list is answered as it was when the page asked for it, but handed over only after a new
    // delivery was streamed to the page and processed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/_/api/deliveries?*", async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    try {
      await page.goto(`${runtime.url}/`);
      await page.locator("#live.on").waitFor();
      const late = await sendGitHub("push", githubExample("push"));
      expect(late.status).toBe(202);
      await chip(late.id, "archive").and(page.locator('[data-state="processed"]')).waitFor();
      expect(await row(push.id).count()).toBe(0);

      release();
      await row(push.id).waitFor();

      await expect(row(late.id).count()).resolves.toBe(1);
      await expect(chip(late.id, "archive").getAttribute("data-state")).resolves.toBe("processed");
      // Newest first: the streamed delivery heads the list.
      await expect(page.locator("#list tbody tr").first().getAttribute("data-key")).resolves.toBe(late.id);
    } finally {
      release();
      await page.unrouteAll();
    }
  });
});

describeWithBrowser("the inspector's HTTP defences", () => {
  test("a foreign Host cannot read the page, the API or an event; loopback names can", async () => {
    const { port } = new URL(runtime.url);
    const id = encodeURIComponent(push?.id ?? "github:none");
    for (const path of [
      "/",
      "/_/api/deliveries",
      `/_/api/deliveries/${id}`,
      `/_/events/${id}`,
      "/_/metrics",
    ]) {
      expect((await rawRequest(path, { headers: { host: "evil.example" } })).status).toBe(403);
      expect((await rawRequest(path, { headers: { host: `evil.example:${port}` } })).status).toBe(403);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest("/_/api/deliveries?limit=1", { headers: { host } })).status).toBe(200);
    }
    // The webhook endpoints stay open to any Host (tunnels forward with their own).
    const webhook = await rawRequest("/github", {
      method: "POST",
      headers: { host: "abc.ngrok.app", "content-type": "application/json" },
      body: "{}",
    });
    expect(webhook.status).toBe(400);
  });

  test("an action needs the runtime's own Origin, or no Origin and the page's token", async () => {
    const before = await getJson("/_/metrics");
    const path = `/_/api/deliveries/${encodeURIComponent(push.id)}/replay`;
    const host = new URL(runtime.url).host;
    const refused: Record<string, string>[] = [
      { host, origin: "http://evil.example" },
      { host, origin: `http://evil.example:${new URL(runtime.url).port}` },
      { host },
      { host, "x-inspector-token": "guessed" },
      { host: "evil.example", origin: runtime.url },
    ];
    for (const headers of refused) {
      expect((await rawRequest(path, { method: "POST", headers })).status).toBe(403);
    }
    expect((await getJson("/_/metrics")).received).toBe(before.received);

    const html = await (await fetch(`${runtime.url}/`)).text();
    const token = /name="inspector-token" content="([^"]+)"/.exec(html)![1]!;
    const allowed = await rawRequest(path, { method: "POST", headers: { host, "x-inspector-token": token } });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body).status).toBe(202);
  });
});

/** A page on another origin that tries a cross-origin fetch and a form post at the replay action. */
async function serveAttacker(
  target: string,
  id: string,
): Promise<{ server: Server; url: string; answers: () => string[] }> {
  const answers: string[] = [];
  const action = `${target}/_/api/deliveries/${encodeURIComponent(id)}/replay`;
  const html = `<!doctype html><body>
<form id="f" method="POST" action="${action}" target="sink"><input name="x" value="1"></form>
<script>
const done = () => { const p = document.createElement("p"); p.id = "done"; document.body.append(p); };
fetch(${JSON.stringify(action)}, { method: "POST", mode: "no-cors", body: "{}" })
  .then((r) => fetch("/report?fetch=" + r.type), () => fetch("/report?fetch=error"))
  .then(() => {
    const sink = document.createElement("iframe");
    sink.name = "sink";
    document.body.append(sink);
    sink.addEventListener("load", () => fetch("/report?form=sent").then(done), { once: true });
    document.getElementById("f").submit();
  });
</script></body>`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://attacker");
    if (url.pathname === "/report") {
      for (const [key, value] of url.searchParams) answers.push(`${key}: ${value}`);
      res.end("ok");
      return;
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    answers: () => answers,
  };
}
