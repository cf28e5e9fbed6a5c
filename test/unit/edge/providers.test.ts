import type { NormalizedEvent } from "../../../src/contract/event";
import { createGateway } from "../../../src/edge/gateway";
import { signGitHub } from "../../../src/edge/signatures/github";
import { signSlack } from "../../../src/edge/signatures/slack";

const NOW = Date.parse("2026-11-23T10:00:00.000Z");

function gateway() {
  const published: NormalizedEvent[] = [];
  const handle = createGateway({
    secrets: { github: () => ["gh"], slack: () => ["sl"] },
    publish: async (event) => {
      published.push(event);
      return { queued: ["q"], claimChecked: false };
    },
    now: () => NOW,
  });
  return { handle, published };
}

function slack(body: string, contentType = "application/json") {
  const ts = String(NOW / 1000);
  return {
    method: "POST",
    path: "/slack",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": ts,
      "x-slack-signature": signSlack("sl", ts, body),
    },
    body: Buffer.from(body),
  };
}

test("a Slack event_time beyond what a Date can hold falls back to the receive time (regression: was a 500)", async () => {
  const { handle, published } = gateway();
  const body =
    '{"type":"event_callback","event_id":"Ev1","event_time":9999999999999,"event":{"type":"message"}}';
  const { response } = await handle(slack(body));
  expect([response.statusCode, published[0]?.attributes.time]).toEqual([200, "2026-11-23T10:00:00.000Z"]);
});

test("a slash-command field named __proto__ is kept as an ordinary key (regression: was dropped)", async () => {
  const { handle, published } = gateway();
  const { response } = await handle(
    slack("command=%2Fx&__proto__=x&constructor=y&text=hi", "application/x-www-form-urlencoded"),
  );
  expect(response.statusCode).toBe(200);
  const data = JSON.parse(published[0]!.dataJson);
  expect(Object.keys(data)).toEqual(["command", "__proto__", "constructor", "text"]);
  expect(Object.getOwnPropertyDescriptor(data, "__proto__")?.value).toBe("x");
  expect(({} as Record<string, unknown>).x).toBeUndefined();
});

test.each([
  ["octo/repo", "https://github.com/octo/repo"],
  ["équipe/dépôt", "https://github.com/%C3%A9quipe/d%C3%A9p%C3%B4t"],
  ["a\u0000b/c\uFFFF", "https://github.com/a%00b/c%EF%BF%BF"],
  ["x/😀", "https://github.com/x/%F0%9F%98%80"],
])(
  "the source URI (also an SQS attribute) percent-encodes what is not printable ASCII: %j",
  async (fullName, source) => {
    const { handle, published } = gateway();
    const body = JSON.stringify({ action: "opened", repository: { full_name: fullName } });
    const { response } = await handle({
      method: "POST",
      path: "/github",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": "d1",
        "x-hub-signature-256": signGitHub("gh", body),
      },
      body: Buffer.from(body),
    });
    expect([response.statusCode, published[0]?.attributes.source]).toEqual([202, source]);
  },
);
