/**
 * CASES.md 31: the queue is throttled, unreachable or slow → 503 (no X-Slack-No-Retry), never 2xx,
 * and the answer comes within the provider's budget. Faults come from real sockets: a closed port,
 * a server that never answers, a server that answers SQS's throttling error.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { signGitHub } from "../../../src/edge/signatures/github";
import { signSlack } from "../../../src/edge/signatures/slack";
import { type EdgeHarness, GITHUB_SECRET, SLACK_SECRET, startEdge } from "../../helpers/edge";
import { functionUrlEvent } from "../../helpers/function-url";

const BODY = JSON.stringify({
  action: "opened",
  issue: { number: 1 },
  repository: { full_name: "octo/repo" },
});
const githubEvent = () =>
  functionUrlEvent({
    path: "/github",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": "d-31",
      "x-hub-signature-256": signGitHub(GITHUB_SECRET, BODY),
    },
    body: BODY,
  });
const SLACK = JSON.stringify({
  type: "event_callback",
  event_id: "Ev31",
  team_id: "T1",
  event: { type: "message", channel: "C1" },
});
const slackEvent = () => {
  const ts = String(Math.floor(Date.now() / 1000));
  return functionUrlEvent({
    path: "/slack",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": ts,
      "x-slack-signature": signSlack(SLACK_SECRET, ts, SLACK),
    },
    body: SLACK,
  });
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function withEdge(env: Record<string, string>, run: (edge: EdgeHarness) => Promise<void>) {
  const edge = await startEdge(env);
  try {
    await run(edge);
  } finally {
    await edge.stop();
  }
}

test("case 31: SQS unreachable → 503 for GitHub and for Slack without X-Slack-No-Retry", async () => {
  const closed = createServer();
  const url = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  await withEdge({ AWS_ENDPOINT_URL_SQS: url }, async (edge) => {
    const gh = await edge.invoke(githubEvent());
    const sl = await edge.invoke(slackEvent());
    expect([gh.statusCode, JSON.parse(gh.body!).error]).toEqual([503, "queue_unavailable"]);
    expect([sl.statusCode, sl.headers?.["x-slack-no-retry"]]).toEqual([503, undefined]);
  });
});

test("case 31: SQS throttling on every attempt → 503 after the SDK's bounded retries", async () => {
  let requests = 0;
  const throttling = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(400, {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-query-error": "RequestThrottled;Sender",
    });
    res.end(JSON.stringify({ __type: "com.amazonaws.sqs#RequestThrottled", message: "Rate exceeded" }));
  });
  const url = await listen(throttling);
  try {
    await withEdge({ AWS_ENDPOINT_URL_SQS: url }, async (edge) => {
      const gh = await edge.invoke(githubEvent());
      expect([gh.statusCode, requests]).toEqual([503, 3]);
    });
  } finally {
    throttling.close();
  }
});

test("case 31: SQS that never answers → 503 once the deadline passes, well within Slack's 3 s", async () => {
  const sockets = new Set<import("node:net").Socket>();
  const silent = createServer(() => undefined);
  silent.on("connection", (socket) => sockets.add(socket));
  const url = await listen(silent);
  try {
    await withEdge(
      { AWS_ENDPOINT_URL_SQS: url, SLACK_DEADLINE_MS: "500", SQS_REQUEST_TIMEOUT_MS: "5000" },
      async (edge) => {
        const started = Date.now();
        const sl = await edge.invoke(slackEvent());
        const elapsed = Date.now() - started;
        expect(sl.statusCode).toBe(503);
        // The deadline is 500 ms; 2.5 s leaves room for a loaded machine and still beats Slack's 3 s.
        expect(elapsed).toBeLessThan(2500);
      },
    );
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test("case 31: one of two queues missing → 503; the queue that accepted keeps its message", async () => {
  const routes = (queueUrl: string) => [
    { name: "archive", queueUrl },
    { name: "gone", queueUrl: queueUrl.replace(/archive$/, "does-not-exist") },
  ];
  const edge = await startEdge({}, { routes });
  try {
    const gh = await edge.invoke(githubEvent());
    expect([gh.statusCode, await edge.depth()]).toEqual([503, 1]);
  } finally {
    await edge.stop();
  }
});
