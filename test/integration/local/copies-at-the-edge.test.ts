/**
 * Copies of one delivery that reach the local runtime at once (a burst of redeliveries, a client
 * retrying too eagerly) are queued once: the copies that arrive while the first is being sent wait
 * for that send and share its answer. SQS is reached through a proxy that holds every
 * SendMessageBatch for a moment, so the copies surely meet the first in flight.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signGitHub } from "../../../src/edge/signatures/github";
import { noFaults } from "../../../src/local/fault-hook";
import { type LocalRuntime, startLocalRuntime } from "../../../src/local/runtime";

const SECRET = "s".repeat(32);
const HOLD_MS = 300;

let dir: string;
let runtime: LocalRuntime;
let proxy: Server;
/** Messages sent through SendMessageBatch, per queue URL. */
const sent = new Map<string, number>();
const lines: string[] = [];

/** Forwards every request to fauxqs; a SendMessageBatch only after {@link HOLD_MS}. */
function holdingProxy(target: string): Promise<string> {
  const upstream = new URL(target);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const held = req.headers["x-amz-target"] === "AmazonSQS.SendMessageBatch";
      if (held) {
        const input = JSON.parse(Buffer.concat(chunks).toString()) as {
          QueueUrl: string;
          Entries: unknown[];
        };
        sent.set(input.QueueUrl, (sent.get(input.QueueUrl) ?? 0) + input.Entries.length);
      }
      setTimeout(
        () => {
          const out = request(
            {
              host: upstream.hostname,
              port: upstream.port,
              path: req.url,
              method: req.method,
              headers: req.headers,
            },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          out.on("error", () => res.destroy());
          out.end(Buffer.concat(chunks));
        },
        held ? HOLD_MS : 0,
      );
    });
  });
  return new Promise((resolve) =>
    proxy.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "copies-at-the-edge-"));
  runtime = await startLocalRuntime({
    port: 0,
    root: dir,
    dataDir: join(dir, ".data"),
    env: { GITHUB_WEBHOOK_SECRET: SECRET, SLACK_SIGNING_SECRET: "t".repeat(32), LOG_LEVEL: "SILENT" },
    log: (line) => lines.push(line),
    faults: async (endpoints) => ({
      ...noFaults(endpoints),
      endpoints: { ...endpoints, sqs: await holdingProxy(endpoints.sqs) },
    }),
  });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function metrics(): Promise<{
  queued: number;
  joined: number;
  consumers: Record<string, { processed: number; duplicate: number }>;
}> {
  return (await fetch(`${runtime.url}/_/metrics`)).json() as never;
}

test("three copies at once: three 202s, one message, processed once, two copies joined", async () => {
  const delivery = randomUUID();
  const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1, ref: "refs/heads/main" });
  const send = () =>
    fetch(`${runtime.url}/github`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": delivery,
        "x-hub-signature-256": signGitHub(SECRET, body),
      },
      body,
    });
  const before = await metrics();
  sent.clear();

  const answers = await Promise.all([send(), send(), send()]);

  expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
  expect(await Promise.all(answers.map((a) => a.json()))).toEqual([
    { id: `github:${delivery}` },
    { id: `github:${delivery}` },
    { id: `github:${delivery}` },
  ]);
  const deadline = Date.now() + 15_000;
  while (!lines.some((l) => l.includes(`✓ archive processed github:${delivery}`)) && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 50));
  }
  const after = await metrics();
  expect({
    queued: after.queued - before.queued,
    joined: after.joined - before.joined,
    processed: after.consumers.archive!.processed - before.consumers.archive!.processed,
    duplicate: after.consumers.archive!.duplicate - before.consumers.archive!.duplicate,
  }).toEqual({ queued: 3, joined: 2, processed: 1, duplicate: 0 });
  // The inspector's counters (its page's cards) say so too.
  const counters = (await (await fetch(`${runtime.url}/_/api/counters`)).json()) as { joined: number };
  expect(counters.joined - before.joined).toBe(2);
  const accepted = lines.filter((l) => l.includes(`← accepted github com.github.push github:${delivery}`));
  expect(accepted).toHaveLength(3);
  // One message on each queue the event was routed to, not three.
  const queues = accepted[0]!.split(" → ")[1]!.split(" (")[0]!.split(", ");
  expect([...sent].map(([url, n]) => [url.split("/").pop(), n]).sort()).toEqual(
    queues.map((name) => [name, 1]).sort(),
  );
  expect(accepted.filter((l) => l.endsWith("(a copy of the event being queued: queued once)"))).toHaveLength(
    2,
  );
});
