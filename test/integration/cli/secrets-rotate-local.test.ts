/**
 * `secrets rotate github --local` against the real local runtime, with signed deliveries flowing
 * the whole time: a loop sends a delivery every few milliseconds signed with whatever secret
 * "GitHub" (the fake) holds at that moment, as GitHub would. None may be refused. The runtime
 * re-reads `.env` (its edge caches secrets for SECRETS_TTL_SECONDS, 1 s here), so nothing restarts.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { secretsCommand } from "../../../src/cli/commands/secrets";
import { signGitHub } from "../../../src/edge/signatures/github";
import { type LocalRuntime, startLocalRuntime } from "../../../src/local/runtime";
import { githubExample } from "../../helpers/factories";
import { type FakeHook, type GithubApiFake, startGithubApiFake } from "../../helpers/github-api-fake";

jest.setTimeout(60_000);
const OLD = "old-local-secret";
const BODY = JSON.stringify(githubExample("push"));

let root: string;
let runtime: LocalRuntime;
let github: GithubApiFake;
let hook: FakeHook;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "rotate-local-"));
  writeFileSync(join(root, ".env"), `SECRETS_TTL_SECONDS=1\nGITHUB_WEBHOOK_SECRET=${OLD}\n`);
  runtime = await startLocalRuntime({
    port: 0,
    root,
    dataDir: join(root, "data"),
    env: {},
    log: () => undefined,
  });
  github = await startGithubApiFake();
  github.sendPings = true;
  hook = github.addHook("/repos/octo/hello/hooks", {
    id: 7,
    active: true,
    events: ["push"],
    config: { url: `${runtime.url}/github`, content_type: "json", secret: OLD },
  });
});
afterEach(async () => {
  await github.stop();
  await runtime.stop();
});

async function deliver(secret: string): Promise<number> {
  const response = await fetch(`${runtime.url}/github`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": signGitHub(secret, BODY),
    },
    body: BODY,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Sends deliveries every few milliseconds signed with what "GitHub" holds, until stopped. */
function startDelivering(secret: () => string): () => Promise<{ secret: string; status: number }[]> {
  const sent: { secret: string; status: number }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const current = secret();
      sent.push({ secret: current, status: await deliver(current) });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return sent;
  };
}

/** Waits for the edge's 1 s cache to drop a retired secret: its next delivery answers 401. */
async function refusedOnceExpired(secret: string): Promise<number> {
  let status = 202;
  for (let attempt = 0; attempt < 100 && status === 202; attempt++) {
    status = await deliver(secret);
    if (status === 202) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return status;
}

/** `secrets rotate github <target> --local` against the running runtime, 2 s cache, retired after 1 s; every line into `out`. */
function rotateLocally(target: string[], env: Record<string, string>, out: string[]): Promise<number> {
  return secretsCommand(
    ["rotate", "github", ...target, "--local", "--cache-ttl", "2s", "--retire-after", "1s"],
    {
      env: { ...env, GITHUB_API_URL: github.apiUrl },
      cwd: root,
      out: (line) => out.push(line),
      err: (line) => out.push(line),
      pollIntervalMs: 20,
    },
  );
}

test("no delivery is refused while the secret rotates, and the old secret is refused once retired", async () => {
  const stop = startDelivering(() => hook.config.secret!);
  const out: string[] = [];

  const code = await rotateLocally(["--repo", "octo/hello"], { GITHUB_TOKEN: "ghp_test" }, out);
  const sent = await stop();

  expect(code).toBe(0);
  const next = hook.config.secret!;
  expect(next).not.toBe(OLD);
  expect(readFileSync(join(root, ".env"), "utf8")).toBe(
    `SECRETS_TTL_SECONDS=1\nGITHUB_WEBHOOK_SECRET=${next}\n`,
  );
  expect(
    github.deliveries("/repos/octo/hello/hooks/7/deliveries").map((d) => [d.event, d.status_code]),
  ).toEqual([["ping", 200]]);
  // Deliveries flowed with both secrets, and every one was accepted.
  expect(sent.filter((s) => s.secret === OLD).length).toBeGreaterThan(20);
  expect(sent.filter((s) => s.secret === next).length).toBeGreaterThan(20);
  expect(sent.filter((s) => s.status !== 202)).toEqual([]);
  expect(out.join("\n")).not.toContain(next);

  // Retired: once the edge's 1 s cache expires, the old secret is refused; the new one is not.
  expect(await refusedOnceExpired(OLD)).toBe(401);
  expect(await deliver(next)).toBe(202);
});

test("--app: the App's webhook rotates with no delivery refused; the redelivery that checks it reaches the runtime", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  github.app = { appId: "4242", key: publicKey };
  github.appHookConfig = { url: `${runtime.url}/github`, content_type: "json", secret: OLD };
  const [earlier] = github.addDeliveries("/app/hook/deliveries", [
    { event: "push", guid: randomUUID(), request: { headers: {}, payload: JSON.parse(BODY) } },
  ]);
  const stop = startDelivering(() => github.appHookConfig!.secret!);
  const out: string[] = [];

  const code = await rotateLocally(
    ["--app"],
    {
      GITHUB_APP_ID: "4242",
      GITHUB_APP_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    },
    out,
  );
  const sent = await stop();

  expect(code).toBe(0);
  const next = github.appHookConfig!.secret!;
  expect(next).not.toBe(OLD);
  expect(readFileSync(join(root, ".env"), "utf8")).toBe(
    `SECRETS_TTL_SECONDS=1\nGITHUB_WEBHOOK_SECRET=${next}\n`,
  );
  // The redelivery was signed with the new secret and accepted by the runtime's edge.
  expect(github.deliveries("/app/hook/deliveries").map((d) => [d.guid, d.redelivery, d.status_code])).toEqual(
    [
      [earlier!.guid, false, 200],
      [earlier!.guid, true, 202],
    ],
  );
  expect(sent.filter((s) => s.secret === OLD).length).toBeGreaterThan(20);
  expect(sent.filter((s) => s.secret === next).length).toBeGreaterThan(20);
  expect(sent.filter((s) => s.status !== 202)).toEqual([]);
  expect(out.at(-1)).toBe("Rotated the webhook secret of the GitHub App: the old secret is retired.");
  expect(out.join("\n")).not.toContain(next);
  expect(await refusedOnceExpired(OLD)).toBe(401);
});
