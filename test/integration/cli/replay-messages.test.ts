/**
 * The replay command's messages say what to do: a wrong secret names the variable that signed
 * and where it came from (never its value); a refused connection is one line; counts are
 * pluralized; the status table has no `(index)` column. And `--version` prints the version.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import packageJson from "../../../package.json";
import { replayCommand } from "../../../src/cli/commands/replay";
import { signGitHub } from "../../../src/edge/signatures/github";

const SERVER_SECRET = "the-servers-secret";
let server: Server;
let url: string;
let cwd: string;
let out: string[];
let err: string[];

/** A gateway stand-in that verifies GitHub signatures with SERVER_SECRET, as the edge does. */
async function startVerifyingServer(): Promise<void> {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const expected = signGitHub(SERVER_SECRET, Buffer.concat(chunks));
      response.writeHead(request.headers["x-hub-signature-256"] === expected ? 202 : 401);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function writeFixtures(count: number): void {
  mkdirSync(join(cwd, "fixtures", "github"), { recursive: true });
  for (let i = 0; i < count; i++) {
    const fixture = {
      provider: "github",
      request: {
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": `d-${i}`,
        },
        body: JSON.stringify({ ref: "refs/heads/main", n: i }),
      },
      expect: { status: 202 },
    };
    writeFileSync(join(cwd, "fixtures", "github", `push-${i}.json`), JSON.stringify(fixture));
  }
}

beforeEach(async () => {
  cwd = mkdtempSync(join(tmpdir(), "replay-"));
  out = [];
  err = [];
  await startVerifyingServer();
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

const run = (argv: string[], env: Record<string, string> = {}) =>
  replayCommand(argv, { env, cwd, out: (l) => out.push(l), err: (l) => err.push(l) });

test("a wrong secret from .env: one line naming the variable and its origin, never the value", async () => {
  writeFixtures(18);
  writeFileSync(join(cwd, ".env"), "GITHUB_WEBHOOK_SECRET=not-the-servers-secret\n");

  const code = await run(["--url", url]);

  expect(code).toBe(1);
  expect(err).toEqual([
    "The gateway refused 18 GitHub deliveries as wrongly signed (401): they were signed with GITHUB_WEBHOOK_SECRET from .env; the server must use the same secret.",
  ]);
  expect([...out, ...err].join("\n")).not.toContain("not-the-servers-secret");
});

test("a wrong secret from the environment, and from the development default, say so; one delivery is singular", async () => {
  writeFixtures(1);

  expect(await run(["--url", url], { GITHUB_WEBHOOK_SECRET: "env-secret" })).toBe(1);
  expect(await run(["--url", url])).toBe(1);

  expect(err).toEqual([
    "The gateway refused 1 GitHub delivery as wrongly signed (401): they were signed with GITHUB_WEBHOOK_SECRET from the environment; the server must use the same secret.",
    "The gateway refused 1 GitHub delivery as wrongly signed (401): they were signed with GITHUB_WEBHOOK_SECRET from the development default; the server must use the same secret.",
  ]);
});

test("the summary counts in the singular or plural and its table has no (index) column", async () => {
  writeFixtures(2);

  expect(await run(["--url", url], { GITHUB_WEBHOOK_SECRET: SERVER_SECRET })).toBe(0);
  expect(await run(["--url", url, "--every", "2"], { GITHUB_WEBHOOK_SECRET: SERVER_SECRET })).toBe(0);

  expect(out.filter((l) => !l.startsWith("latency"))).toEqual([
    `Sent 2 deliveries to ${url} in ${out[0]!.match(/in (\S+ s)$/)![1]}`,
    "status  count",
    "202     2",
    `Sent 1 delivery to ${url} in ${out[4]!.match(/in (\S+ s)$/)![1]}`,
    "status  count",
    "202     1",
  ]);
  expect(err).toEqual([]);
});

test("nothing listening: one line asking whether npm start runs at that URL", async () => {
  writeFixtures(20);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  const code = await run(["--url", url]);

  expect(code).toBe(1);
  expect(out).toEqual([]);
  expect(err).toEqual([`Nothing answered at ${url} (connection refused): is npm start running at that URL?`]);
});

test("--version and -v print the package version", () => {
  const bin = join(__dirname, "../../../bin/webhook-gateway.cjs");
  for (const flag of ["--version", "-v"]) {
    const result = spawnSync(process.execPath, [bin, flag], { encoding: "utf8" });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: `${packageJson.version}\n`,
      stderr: "",
    });
  }
});
