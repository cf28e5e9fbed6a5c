/**
 * CASES.md 1–31 through the real ingest handler and a real (fauxqs) queue: each case asserts the
 * exact status and how many messages were queued.
 */
import { createHmac } from "node:crypto";
import { signGitHub } from "../../../src/edge/signatures/github";
import { signSlack } from "../../../src/edge/signatures/slack";
import {
  type EdgeHarness,
  GITHUB_PREVIOUS_SECRET,
  GITHUB_SECRET,
  SLACK_SECRET,
  startEdge,
} from "../../helpers/edge";
import { functionUrlEvent } from "../../helpers/function-url";

const issue = {
  action: "opened",
  issue: { number: 7, title: "Bug" },
  repository: { full_name: "octo/repo" },
};
const ISSUE = JSON.stringify(issue);

function github(
  body: string | Buffer,
  overrides: Record<string, string | undefined> = {},
  secret = GITHUB_SECRET,
  options: { base64?: boolean } = {},
) {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": "issues",
    "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    "x-hub-signature-256": signGitHub(secret, body),
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return functionUrlEvent({ path: "/github", headers, body, base64: options.base64 });
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function slack(
  body: string | Buffer,
  overrides: Record<string, string | undefined> = {},
  options: { base64?: boolean } = {},
) {
  const timestamp = overrides["x-slack-request-timestamp"] ?? String(nowSeconds());
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-slack-request-timestamp": timestamp,
    "x-slack-signature": signSlack(SLACK_SECRET, timestamp, body),
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return functionUrlEvent({ path: "/slack", headers, body, base64: options.base64 });
}

const mention = {
  token: "XXYYZZ",
  team_id: "T0001",
  api_app_id: "A0001",
  event: {
    type: "app_mention",
    user: "U0001",
    text: "<@U0002> hi",
    ts: "1.2",
    channel: "C0001",
    event_ts: "1.2",
  },
  type: "event_callback",
  event_id: "Ev0001",
  event_time: 1795428000,
};
const MENTION = JSON.stringify(mention);

let edge: EdgeHarness;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge.stop());
afterEach(async () => {
  await edge.drain();
});

async function send(event: ReturnType<typeof functionUrlEvent>) {
  const result = await edge.invoke(event);
  const messages = await edge.drain();
  return { status: result.statusCode, headers: result.headers ?? {}, body: result.body ?? "", messages };
}

describe("GitHub edge", () => {
  test("case 1: no X-Hub-Signature-256 is 401 and nothing is queued", async () => {
    const r = await send(github(ISSUE, { "x-hub-signature-256": undefined }));
    expect([r.status, r.messages.length, JSON.parse(r.body)]).toEqual([
      401,
      0,
      { error: "invalid_signature" },
    ]);
  });

  test("case 2: only the legacy SHA-1 X-Hub-Signature is 401", async () => {
    const sha1 = `sha1=${createHmac("sha1", GITHUB_SECRET).update(ISSUE).digest("hex")}`;
    const r = await send(github(ISSUE, { "x-hub-signature-256": undefined, "x-hub-signature": sha1 }));
    expect([r.status, r.messages.length]).toEqual([401, 0]);
  });

  const good = signGitHub(GITHUB_SECRET, ISSUE);
  test.each([
    ["not hex", `sha256=${"z".repeat(64)}`],
    ["too short", good.slice(0, -2)],
    ["too long", `${good}00`],
    ["upper-case prefix", good.replace("sha256=", "SHA256=")],
    ["spaces", ` ${good} `],
    ["sha512 prefix", good.replace("sha256=", "sha512=")],
    ["empty", ""],
  ])("case 3: malformed signature (%s) is 401", async (_name, signature) => {
    const r = await send(github(ISSUE, { "x-hub-signature-256": signature }));
    expect([r.status, r.messages.length]).toEqual([401, 0]);
  });

  test("case 4: wrong secret is 401", async () => {
    const r = await send(github(ISSUE, {}, "not-the-secret"));
    expect([r.status, r.messages.length]).toEqual([401, 0]);
  });

  test.each([
    ["one byte changed", ISSUE.replace("Bug", "Bog")],
    ["re-indented", JSON.stringify(issue, null, 2)],
    [
      "keys reordered",
      JSON.stringify({ repository: issue.repository, action: "opened", issue: issue.issue }),
    ],
  ])("case 4: body %s after signing is 401", async (_name, tampered) => {
    const signed = github(ISSUE);
    const r = await send({ ...signed, body: tampered });
    expect([r.status, r.messages.length]).toEqual([401, 0]);
  });

  test("case 5: \\u00e9 escapes, non-ASCII text and unusual whitespace are verified on the raw bytes", async () => {
    const body = `{\r\n\t"action" :"opened" ,"issue":{"number":7,"title":"caf\\u00e9 — 日本語 😀"},\n"repository":{"full_name":"octo/repo"}}  `;
    const r = await send(github(body));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    const event = JSON.parse(r.messages[0]!.Body!);
    expect(event.data.issue.title).toBe("café — 日本語 😀");
    expect(event.type).toBe("com.github.issues.opened");
  });

  test("case 6: header names in any letter case are accepted", async () => {
    const signed = github(ISSUE);
    const shouting: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) shouting[name.toUpperCase()] = value!;
    const r = await send({ ...signed, headers: shouting });
    expect([r.status, r.messages.length]).toEqual([202, 1]);
  });

  test("case 7: a delivery signed with the previous secret is accepted while both are configured", async () => {
    const r = await send(github(ISSUE, {}, GITHUB_PREVIOUS_SECRET));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
  });

  test("case 7: once the previous secret is removed, the same delivery is 401", async () => {
    const rotated = await startEdge({ GITHUB_WEBHOOK_SECRET: GITHUB_SECRET });
    try {
      const result = await rotated.invoke(github(ISSUE, {}, GITHUB_PREVIOUS_SECRET));
      expect([result.statusCode, await rotated.depth()]).toEqual([401, 0]);
    } finally {
      await rotated.stop();
    }
  });

  test("case 8: the same delivery replayed is accepted again with the same event id", async () => {
    const first = await send(github(ISSUE));
    const again = await send(github(ISSUE));
    expect([first.status, again.status]).toEqual([202, 202]);
    const ids = [...first.messages, ...again.messages].map((m) => JSON.parse(m.Body!).id);
    expect(ids).toEqual([
      "github:72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "github:72d3162e-cc78-11e3-81ab-4c9367dc0958",
    ]);
  });

  test.each([
    [["x-github-event"], { "x-github-event": undefined }],
    [["x-github-delivery"], { "x-github-delivery": undefined }],
    [
      ["x-github-event", "x-github-delivery"],
      { "x-github-event": undefined, "x-github-delivery": undefined },
    ],
  ])("case 9: missing %j is 400 naming them", async (missing, overrides) => {
    const r = await send(github(ISSUE, overrides));
    expect([r.status, r.messages.length, JSON.parse(r.body)]).toEqual([
      400,
      0,
      { error: "missing_headers", headers: missing },
    ]);
  });

  test("case 10: ping is answered 200 and not queued", async () => {
    const r = await send(
      github(JSON.stringify({ zen: "Design for failure.", hook_id: 1 }), { "x-github-event": "ping" }),
    );
    expect([r.status, r.messages.length]).toEqual([200, 0]);
  });

  test("case 11: a form-encoded delivery gives the same event as its JSON twin", async () => {
    const form = `payload=${encodeURIComponent(ISSUE)}`;
    const viaForm = await send(github(form, { "content-type": "application/x-www-form-urlencoded" }));
    const viaJson = await send(github(ISSUE));
    expect([viaForm.status, viaForm.messages.length, viaJson.status]).toEqual([202, 1, 202]);
    const { time: _t1, receivedat: _r1, ...formEvent } = JSON.parse(viaForm.messages[0]!.Body!);
    const { time: _t2, receivedat: _r2, ...jsonEvent } = JSON.parse(viaJson.messages[0]!.Body!);
    expect(formEvent).toEqual(jsonEvent);
    expect(formEvent.data).toEqual(issue);
  });

  test.each([["text/plain"], [undefined]])("case 12: content type %s is 415", async (type) => {
    const r = await send(github(ISSUE, { "content-type": type }));
    expect([r.status, r.messages.length]).toEqual([415, 0]);
  });

  test("case 13: an event type without special handling is queued with its generic type", async () => {
    const body = JSON.stringify({ something: "new", repository: { full_name: "octo/repo" } });
    const r = await send(github(body, { "x-github-event": "brand_new_event" }));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expect(JSON.parse(r.messages[0]!.Body!).type).toBe("com.github.brand_new_event");
  });
});

describe("Slack edge", () => {
  test.each([
    ["no signature", { "x-slack-signature": undefined }],
    ["no timestamp", { "x-slack-request-timestamp": undefined }],
    ["v1= prefix", { "x-slack-signature": `v1=${"0".repeat(64)}` }],
    ["garbage timestamp", { "x-slack-request-timestamp": "soon" }],
  ])("case 14: %s is 401 with X-Slack-No-Retry", async (_name, overrides) => {
    const r = await send(slack(MENTION, overrides));
    expect([r.status, r.messages.length, r.headers["x-slack-no-retry"]]).toEqual([401, 0, "1"]);
  });

  test.each([
    ["301 s old", -301],
    ["301 s in the future", 301],
  ])("case 15: a timestamp %s is 401", async (_name, skew) => {
    const r = await send(slack(MENTION, { "x-slack-request-timestamp": String(nowSeconds() + skew) }));
    expect([r.status, r.messages.length]).toEqual([401, 0]);
  });

  test("case 15: a timestamp 299 s old is still accepted", async () => {
    const r = await send(slack(MENTION, { "x-slack-request-timestamp": String(nowSeconds() - 299) }));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
  });

  const challenge = JSON.stringify({
    token: "XXYYZZ",
    challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    type: "url_verification",
  });
  test("case 16: signed url_verification is answered with the challenge and not queued", async () => {
    const r = await send(slack(challenge));
    expect([r.status, r.messages.length, JSON.parse(r.body)]).toEqual([
      200,
      0,
      { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" },
    ]);
  });

  test("case 16: unsigned url_verification is 401", async () => {
    const r = await send(slack(challenge, { "x-slack-signature": undefined }));
    expect([r.status, r.messages.length]).toEqual([401, 0]);
  });

  test("case 17: ssl_check=1 is answered 200 and not queued", async () => {
    const r = await send(
      slack("ssl_check=1&token=XXYYZZ", { "content-type": "application/x-www-form-urlencoded" }),
    );
    expect([r.status, r.messages.length, r.body]).toEqual([200, 0, ""]);
  });

  test("case 18: a retry keeps the event id and carries the retry attributes", async () => {
    const first = await send(slack(MENTION));
    const retry = await send(
      slack(MENTION, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" }),
    );
    expect([first.status, retry.status, first.messages.length, retry.messages.length]).toEqual([
      200, 200, 1, 1,
    ]);
    const [a, b] = [first, retry].map((r) => JSON.parse(r.messages[0]!.Body!));
    expect([a.id, b.id, b.retrynum, b.retryreason, a.retrynum]).toEqual([
      "slack:Ev0001",
      "slack:Ev0001",
      1,
      "http_timeout",
      undefined,
    ]);
  });

  test("case 19: an interaction payload that is not JSON is 400 with X-Slack-No-Retry", async () => {
    const body = `payload=${encodeURIComponent("{not json")}`;
    const r = await send(slack(body, { "content-type": "application/x-www-form-urlencoded" }));
    expect([r.status, r.messages.length, r.headers["x-slack-no-retry"]]).toEqual([400, 0, "1"]);
  });

  test("case 20: a slash command with &=+%, emoji and newlines is decoded exactly", async () => {
    const text = "deploy a&b=c+d 100% 🚀\nline two";
    const fields = { command: "/deploy", text, team_id: "T0001", channel_id: "C0001", user_id: "U0001" };
    const body = new URLSearchParams(fields).toString();
    const r = await send(slack(body, { "content-type": "application/x-www-form-urlencoded" }));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
    const event = JSON.parse(r.messages[0]!.Body!);
    expect([event.type, event.subject, event.data]).toEqual(["com.slack.command", "/deploy", fields]);
  });

  test("case 21: a base64 body with non-ASCII text is decoded as UTF-8 bytes", async () => {
    const body = Buffer.from(
      JSON.stringify({ ...mention, event: { ...mention.event, text: "héllo 日本 😀" } }),
    );
    const r = await send(slack(body, {}, { base64: true }));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
    expect(JSON.parse(r.messages[0]!.Body!).data.event.text).toBe("héllo 日本 😀");
  });

  test("case 22: application/x-www-form-urlencoded; charset=utf-8 is accepted", async () => {
    const body = new URLSearchParams({ command: "/hi", text: "x", team_id: "T0001" }).toString();
    const r = await send(slack(body, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
  });

  test("case 23: a GitHub-signed body sent to /slack is 401", async () => {
    const signed = github(MENTION);
    const r = await send({ ...signed, rawPath: "/slack", requestContext: { ...signed.requestContext } });
    expect([r.status, r.messages.length]).toEqual([401, 0]);
  });

  test("case 23: a Slack-signed body sent to /github is 401", async () => {
    const signed = slack(ISSUE);
    const headers = { ...signed.headers, "x-github-event": "issues", "x-github-delivery": "d-1" };
    const r = await send({ ...signed, rawPath: "/github", headers });
    expect([r.status, r.messages.length]).toEqual([401, 0]);
  });
});

describe("both providers", () => {
  test.each([["GET"], ["PUT"], ["DELETE"], ["HEAD"], ["OPTIONS"]])(
    "case 24: %s is 405 with Allow: POST",
    async (method) => {
      for (const event of [github(ISSUE), slack(MENTION)]) {
        const r = await send({
          ...event,
          requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method } },
        });
        expect([r.status, r.messages.length, r.headers.allow]).toEqual([405, 0, "POST"]);
      }
    },
  );

  test.each([["/"], ["/GITHUB"], ["/github/.."], ["/../github"], ["/slack/extra"], ["/githubx"]])(
    "case 24: path %s is 404",
    async (path) => {
      const r = await send({ ...github(ISSUE), rawPath: path });
      expect([r.status, r.messages.length]).toEqual([404, 0]);
    },
  );

  test.each([
    ["empty body", ""],
    ["null", "null"],
    ["not JSON", "{oops"],
    ["an array", "[1,2]"],
  ])("case 25: %s (signed) is 400", async (_name, body) => {
    expect((await send(github(body))).status).toBe(400);
    expect((await send(slack(body))).status).toBe(400);
  });

  test("case 25: invalid UTF-8 (signed) is 400", async () => {
    const body = Buffer.concat([
      Buffer.from('{"action":"opened","t":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const r = await send(github(body, {}, GITHUB_SECRET, { base64: true }));
    expect([r.status, r.messages.length, JSON.parse(r.body).reason]).toEqual([400, 0, "not_utf8"]);
  });

  test("case 26: __proto__ and constructor.prototype keys are kept and pollute nothing", async () => {
    const body =
      '{"action":"opened","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"repository":{"full_name":"octo/repo"}}';
    const r = await send(github(body));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const data = JSON.parse(r.messages[0]!.Body!).data;
    expect(Object.keys(data)).toEqual(["action", "__proto__", "constructor", "repository"]);
    expect(data.constructor.prototype.polluted).toBe(2);
  });

  test("case 27: JSON nested 10,000 deep is 400, not a crash", async () => {
    const deep = `{"a":${"[".repeat(10_000)}${"]".repeat(10_000)}}`;
    const gh = await send(github(deep));
    const sl = await send(slack(deep));
    expect([gh.status, gh.messages.length, JSON.parse(gh.body).reason, sl.status]).toEqual([
      400,
      0,
      "too_deep",
      400,
    ]);
  });

  test("case 28: a body over the limit is 413 and nothing is queued", async () => {
    const small = await startEdge({ MAX_BODY_BYTES: "1024" });
    try {
      const body = JSON.stringify({ ...issue, padding: "x".repeat(2000) });
      const result = await small.invoke(github(body));
      expect([result.statusCode, await small.depth()]).toEqual([413, 0]);
    } finally {
      await small.stop();
    }
  });

  test("case 29: \\u0000 stays escaped and U+FFFF is escaped for SQS; both are accepted", async () => {
    const body = `{"action":"opened","nul":"a\\u0000b","odd":"x\uFFFFy","repository":{"full_name":"octo/repo"}}`;
    const r = await send(github(body));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    const data = JSON.parse(r.messages[0]!.Body!).data;
    expect([data.nul, data.odd]).toEqual(["a\u0000b", "x\uFFFFy"]);
  });

  test("case 30: unsigned requests are rejected before any parse", async () => {
    const parse = jest.spyOn(JSON, "parse");
    try {
      for (let i = 0; i < 50; i++) {
        const gh = await edge.invoke(github(ISSUE, { "x-hub-signature-256": `sha256=${"0".repeat(64)}` }));
        const sl = await edge.invoke(slack(MENTION, { "x-slack-signature": `v0=${"0".repeat(64)}` }));
        expect([gh.statusCode, sl.statusCode]).toEqual([401, 401]);
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    expect(await edge.depth()).toBe(0);
  });
});
