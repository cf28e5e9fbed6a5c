/**
 * Hostile payloads through the real ingest handler and a real (fauxqs) queue: prototype-pollution
 * keys, nesting at the limit, huge arrays and objects, odd code points, bodies at the size limits.
 * Each case asserts the exact status, how many messages were queued, and for accepted ones the
 * exact round-trip of the payload. The last block measures the CPU cost of rejected requests.
 */
import { createHmac } from "node:crypto";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { createGateway, type Handled } from "../../../src/edge/gateway";
import type { GatewayRequest } from "../../../src/edge/http";
import { signGitHub } from "../../../src/edge/signatures/github";
import { signSlack } from "../../../src/edge/signatures/slack";
import { type EdgeHarness, GITHUB_SECRET, SLACK_SECRET, startEdge } from "../../helpers/edge";
import { functionUrlEvent } from "../../helpers/function-url";
import { firstSqsForbidden } from "../../property/sqs-chars";

const MiB = 1024 * 1024;
const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";

function github(body: string | Buffer, contentType = JSON_TYPE, event = "issues") {
  return functionUrlEvent({
    path: "/github",
    headers: {
      "content-type": contentType,
      "x-github-event": event,
      "x-github-delivery": "5e1a7f10-0000-4000-8000-000000000001",
      "x-hub-signature-256": signGitHub(GITHUB_SECRET, body),
    },
    body,
  });
}

function slack(body: string | Buffer, contentType = JSON_TYPE) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return functionUrlEvent({
    path: "/slack",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signSlack(SLACK_SECRET, timestamp, body),
    },
    body,
  });
}

/** A form field holding JSON text. */
const form = (payload: string) => `payload=${encodeURIComponent(payload)}`;

let edge: EdgeHarness;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge.stop());
afterEach(async () => {
  await edge.drain();
});

async function send(event: ReturnType<typeof functionUrlEvent>, harness = edge) {
  const result = await harness.invoke(event);
  const messages = await harness.drain();
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: result.body ?? "",
    messages,
    event: messages.length === 1 ? JSON.parse(messages[0]!.Body!) : undefined,
  };
}

function expectNoPollution() {
  for (const name of ["polluted", "evil", "type", "id"]) {
    expect(Object.hasOwn(Object.prototype, name)).toBe(false);
    expect(({} as Record<string, unknown>)[name]).toBeUndefined();
  }
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

/** The message body holds the payload text spliced verbatim (ASCII and BMP payloads). */
function expectSpliced(messageBody: string, payload: string) {
  expect(messageBody.endsWith(`,"data":${payload}}`)).toBe(true);
}

describe("prototype-pollution keys are kept as data and pollute nothing", () => {
  const hostile = (extra: Record<string, unknown>) =>
    `{"__proto__":{"polluted":1,"evil":true},"constructor":{"prototype":{"polluted":2}},"prototype":{"polluted":3},` +
    `"deep":{"a":{"__proto__":{"polluted":4},"b":{"constructor":{"prototype":{"__proto__":{"polluted":5}}},` +
    `"c":[{"__proto__":{"polluted":6}},{"prototype":null}]}}},${JSON.stringify(extra).slice(1)}`;

  test("GitHub JSON: 202, one message, every key kept in order", async () => {
    const payload = hostile({ action: "opened", repository: { full_name: "octo/repo" } });
    const r = await send(github(payload));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expect(Object.keys(r.event.data)).toEqual([
      "__proto__",
      "constructor",
      "prototype",
      "deep",
      "action",
      "repository",
    ]);
    expect(r.event.data).toEqual(JSON.parse(payload));
    const proto = Object.getOwnPropertyDescriptor(r.event.data.deep.a.b.constructor.prototype, "__proto__");
    expect(proto?.value).toEqual({ polluted: 5 });
    expect([r.event.type, r.event.source]).toEqual([
      "com.github.issues.opened",
      "https://github.com/octo/repo",
    ]);
    expectNoPollution();
  });

  test("GitHub JSON: a repository only reachable through __proto__ is not used as the source", async () => {
    const payload = '{"action":"opened","__proto__":{"repository":{"full_name":"evil/repo"}}}';
    const r = await send(github(payload));
    expect([r.status, r.messages.length, r.event.source]).toEqual([202, 1, "https://github.com"]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expectNoPollution();
  });

  test("GitHub event header 'constructor' / '__proto__'-like names: generic type, no crash", async () => {
    const payload = '{"action":"opened","repository":{"full_name":"octo/repo"}}';
    const r = await send(github(payload, JSON_TYPE, "constructor"));
    expect([r.status, r.messages.length, r.event.type]).toEqual([202, 1, "com.github.constructor.opened"]);
    const proto = await send(github(payload, JSON_TYPE, "__proto__"));
    expect([proto.status, proto.messages.length, proto.event.type]).toEqual([
      202,
      1,
      "com.github.__proto__.opened",
    ]);
    expectNoPollution();
  });

  test("GitHub form payload: 202, one message, same data as the JSON", async () => {
    const payload = hostile({ action: "closed", repository: { full_name: "octo/repo" } });
    const r = await send(github(form(payload), FORM_TYPE));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expect(r.event.data).toEqual(JSON.parse(payload));
    expectNoPollution();
  });

  test("GitHub form with __proto__ and constructor field names next to payload: 202", async () => {
    const payload = '{"action":"opened","repository":{"full_name":"octo/repo"}}';
    const body = `__proto__=x&constructor=y&${form(payload)}&__proto__%5Bpolluted%5D=1`;
    const r = await send(github(body, FORM_TYPE));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expect(r.event.data).toEqual(JSON.parse(payload));
    expectNoPollution();
  });

  test("Slack Events API: 200, one message, type and channel read from own keys only", async () => {
    const payload = hostile({
      type: "event_callback",
      team_id: "T0001",
      event_id: "EvHostile1",
      event: {
        type: "app_mention",
        constructor: { prototype: { polluted: 7 } },
        channel: "C0001",
      },
    });
    const r = await send(slack(payload));
    expect([r.status, r.messages.length, r.body]).toEqual([200, 1, ""]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expect(r.event.data).toEqual(JSON.parse(payload));
    expect([r.event.id, r.event.type, r.event.source, r.event.subject]).toEqual([
      "slack:EvHostile1",
      "com.slack.event.app_mention",
      "urn:slack:team:T0001",
      "channel/C0001",
    ]);
    expectNoPollution();
  });

  test("Slack Events API: an inner event only under __proto__ gives the generic type", async () => {
    const payload =
      '{"type":"event_callback","__proto__":{"event":{"type":"evil","channel":"CEVIL"},"team_id":"TEVIL"}}';
    const r = await send(slack(payload));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
    expect([r.event.type, r.event.source, r.event.subject]).toEqual([
      "com.slack.event_callback",
      "urn:slack",
      undefined,
    ]);
    expectNoPollution();
  });

  test("Slack interaction payload: 200, one message, channel under __proto__ is not the subject", async () => {
    // Raw JSON: an object literal's `__proto__` would set the prototype instead of a key.
    const payload = hostile({ type: "block_actions" }).replace(
      /}$/,
      ',"team":{"id":"T0001","__proto__":{"id":"TEVIL"}},"channel":{"__proto__":{"id":"CEVIL"},"constructor":{"prototype":{"id":"CEVIL"}}},"actions":[{"__proto__":{"polluted":8},"action_id":"a"}]}',
    );
    const r = await send(slack(form(payload), FORM_TYPE));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expect(r.event.data).toEqual(JSON.parse(payload));
    expect([r.event.type, r.event.source, r.event.subject]).toEqual([
      "com.slack.interaction.block_actions",
      "urn:slack:team:T0001",
      undefined,
    ]);
    expectNoPollution();
  });

  test("Slack slash command with __proto__, constructor and prototype field names: 200, nothing polluted", async () => {
    const body =
      "__proto__=x&constructor=y&prototype=z&__proto__%5Bpolluted%5D=1&command=%2Fdeploy&text=go&team_id=T0001&channel_id=C0001";
    const r = await send(slack(body, FORM_TYPE));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
    const data = r.event.data;
    expect([data.command, data.text, data.constructor, data.prototype, data["__proto__[polluted]"]]).toEqual([
      "/deploy",
      "go",
      "y",
      "z",
      "1",
    ]);
    expect([r.event.type, r.event.subject, r.event.source]).toEqual([
      "com.slack.command",
      "/deploy",
      "urn:slack:team:T0001",
    ]);
    // Note: the `__proto__=x` field itself is currently dropped from `data` (see the report of
    // issue 8): assigning a string to `fields.__proto__` is a no-op on a plain object.
    expectNoPollution();
  });
});

describe("nesting limit (64)", () => {
  const objects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{"a":1}${"}".repeat(depth - 1)}`;
  const arrays = (depth: number) => `{"a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;

  test.each([
    ["objects", objects],
    ["arrays", arrays],
  ])("%s 64 deep are accepted and 65 deep are 400 too_deep (GitHub)", async (_kind, build) => {
    const ok = build(64);
    const accepted = await send(github(ok));
    expect([accepted.status, accepted.messages.length]).toEqual([202, 1]);
    expectSpliced(accepted.messages[0]!.Body!, ok);
    const refused = await send(github(build(65)));
    expect([refused.status, refused.messages.length, JSON.parse(refused.body)]).toEqual([
      400,
      0,
      { error: "invalid_body", reason: "too_deep" },
    ]);
  });

  test.each([
    ["objects", objects],
    ["arrays", arrays],
  ])("%s 64 deep are accepted and 65 deep are 400 (Slack events, interactions)", async (_kind, build) => {
    const events = await send(slack(build(64)));
    expect([events.status, events.messages.length]).toEqual([200, 1]);
    const tooDeep = await send(slack(build(65)));
    expect([tooDeep.status, tooDeep.messages.length, tooDeep.headers["x-slack-no-retry"]]).toEqual([
      400,
      0,
      "1",
    ]);
    const interaction = await send(slack(form(build(64)), FORM_TYPE));
    expect([interaction.status, interaction.messages.length]).toEqual([200, 1]);
    const deepInteraction = await send(slack(form(build(65)), FORM_TYPE));
    expect([deepInteraction.status, deepInteraction.messages.length]).toEqual([400, 0]);
  });
});

describe("large but legal payloads", () => {
  test("an array of 200,000 elements is accepted and round-trips exactly", async () => {
    const payload = `{"action":"opened","items":[${new Array(200_000).fill("0").join(",")}],"repository":{"full_name":"octo/repo"}}`;
    const r = await send(github(payload));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expect(r.event.data.items).toHaveLength(200_000);
  });

  test("an object with 100,000 keys is accepted and round-trips exactly", async () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `"${i.toString(36)}":0`);
    const payload = `{"action":"opened",${keys.join(",")},"repository":{"full_name":"octo/repo"}}`;
    expect(Buffer.byteLength(payload)).toBeLessThan(MiB - 16_384 - 1024);
    const r = await send(github(payload));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expect(Object.keys(r.event.data)).toHaveLength(100_002);
  });

  test("100,000 keys in a Slack Events API body are accepted", async () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `"${i.toString(36)}":1`);
    const payload = `{"type":"event_callback","event_id":"EvMany","event":{"type":"message",${keys.join(",")}}}`;
    const r = await send(slack(payload));
    expect([r.status, r.messages.length, r.event.id]).toEqual([200, 1, "slack:EvMany"]);
    expectSpliced(r.messages[0]!.Body!, payload);
  });
});

describe("odd code points", () => {
  test("lone surrogates written as JSON escapes are accepted and kept", async () => {
    const payload = String.raw`{"action":"opened","high":"\ud800","low":"x\udfffy","pair":"\ud83d\ude00","\udc00":"key","repository":{"full_name":"octo/repo"}}`;
    const r = await send(github(payload));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expect([r.event.data.high, r.event.data.low, r.event.data.pair, r.event.data["\udc00"]]).toEqual([
      "\ud800",
      "x\udfffy",
      "😀",
      "key",
    ]);
  });

  test("escaped NUL and control characters are accepted and kept (Slack)", async () => {
    const payload = String.raw`{"type":"event_callback","event_id":"EvNul","event":{"type":"message","text":"a\u0000b\u0001\u001f\u007f","\u0000":"nul key"}}`;
    const r = await send(slack(payload));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
    expectSpliced(r.messages[0]!.Body!, payload);
    expect(r.event.data.event.text).toBe("a\u0000b\u0001\u001f\u007f");
    expect(r.event.data.event["\u0000"]).toBe("nul key");
  });

  test("literal U+FFFE / U+FFFF and astral characters are escaped for SQS and round-trip", async () => {
    const payload = `{"action":"opened","odd":"a\uFFFEb\uFFFFc","\uFFFF":"key","emoji":"😀𝄞","repository":{"full_name":"octo/repo"}}`;
    const r = await send(github(payload));
    expect([r.status, r.messages.length]).toEqual([202, 1]);
    expect(firstSqsForbidden(r.messages[0]!.Body!)).toBe(-1);
    expect(r.event.data).toEqual(JSON.parse(payload));
    expect([r.event.data.odd, r.event.data["\uFFFF"], r.event.data.emoji]).toEqual([
      "a\uFFFEb\uFFFFc",
      "key",
      "😀𝄞",
    ]);
  });

  test("literal U+FFFE / U+FFFF in a Slack interaction form payload round-trip", async () => {
    const payload = `{"type":"block_actions","team":{"id":"T0001"},"value":"\uFFFE\uFFFF😀"}`;
    const r = await send(slack(form(payload), FORM_TYPE));
    expect([r.status, r.messages.length]).toEqual([200, 1]);
    expect(r.event.data).toEqual(JSON.parse(payload));
  });
});

describe("size limits", () => {
  /** A GitHub payload of exactly `bytes` bytes. */
  function sized(bytes: number): string {
    const head = '{"action":"opened","repository":{"full_name":"octo/repo"},"pad":"';
    const tail = '"}';
    return head + "x".repeat(bytes - head.length - tail.length) + tail;
  }

  test("a body of exactly 6 MiB is accepted through the claim check; one byte more is 413", async () => {
    const claims = await startEdge({ CLAIM_CHECK_BUCKET: "claim-checks" });
    try {
      const payload = sized(6 * MiB);
      expect(Buffer.byteLength(payload)).toBe(6 * MiB);
      const r = await send(github(payload), claims);
      expect([r.status, r.messages.length]).toEqual([202, 1]);
      const key = /^s3:\/\/claim-checks\/(.+)$/.exec(r.event.dataref)![1];
      const object = await claims.s3.send(new GetObjectCommand({ Bucket: "claim-checks", Key: key }));
      const stored = await object.Body!.transformToString();
      expectSpliced(stored, payload);

      const over = await send(github(sized(6 * MiB + 1)), claims);
      expect([over.status, over.messages.length, JSON.parse(over.body)]).toEqual([
        413,
        0,
        { error: "payload_too_large", limit: 6 * MiB },
      ]);
    } finally {
      await claims.stop();
    }
  });

  test("a body of exactly 6 MiB without a claim-check bucket is 413 (event over the message limit)", async () => {
    const r = await send(github(sized(6 * MiB)));
    expect([r.status, r.messages.length, JSON.parse(r.body).error]).toEqual([413, 0, "payload_too_large"]);
    expect(JSON.parse(r.body).limit).toBeLessThan(MiB);
  });

  test("a Slack body over 6 MiB is 413 with X-Slack-No-Retry", async () => {
    const payload = `{"type":"event_callback","event_id":"EvBig","pad":"${"y".repeat(6 * MiB)}"}`;
    const r = await send(slack(payload));
    expect([r.status, r.messages.length, r.headers["x-slack-no-retry"]]).toEqual([413, 0, "1"]);
  });

  test("an event just over 1 MiB without a claim-check bucket is 413 and nothing is queued", async () => {
    const payload = sized(MiB + 1);
    const gh = await send(github(payload));
    expect([gh.status, gh.messages.length, JSON.parse(gh.body).error]).toEqual([413, 0, "payload_too_large"]);
    const sl = await send(slack(`{"type":"event_callback","event_id":"EvMiB","pad":"${"z".repeat(MiB)}"}`));
    expect([sl.status, sl.messages.length]).toEqual([413, 0]);
  });
});

describe("cost of rejected requests (reported, not asserted)", () => {
  const published: unknown[] = [];
  const gateway = createGateway({
    secrets: { github: () => [GITHUB_SECRET], slack: () => [SLACK_SECRET] },
    publish: async (event) => {
      published.push(event);
      return { queued: ["archive"], claimChecked: false };
    },
  });

  function requests(body: Buffer): Record<string, GatewayRequest> {
    const ts = String(Math.floor(Date.now() / 1000));
    const gh = { "content-type": JSON_TYPE, "x-github-event": "issues", "x-github-delivery": "d-1" };
    const sl = { "content-type": JSON_TYPE, "x-slack-request-timestamp": ts };
    const zeros = "0".repeat(64);
    return {
      "github unsigned": { method: "POST", path: "/github", headers: gh, body },
      "github bad signature": {
        method: "POST",
        path: "/github",
        headers: { ...gh, "x-hub-signature-256": `sha256=${zeros}` },
        body,
      },
      "slack unsigned": { method: "POST", path: "/slack", headers: sl, body },
      "slack bad signature": {
        method: "POST",
        path: "/slack",
        headers: { ...sl, "x-slack-signature": `v0=${zeros}` },
        body,
      },
    };
  }

  /** CPU microseconds (user + system) per call. */
  async function cpuPerCall(n: number, call: () => unknown): Promise<number> {
    for (let i = 0; i < Math.min(n, 20); i++) await call();
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await call();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / n;
  }

  test("unsigned and badly signed requests are refused before any parse; CPU per request is logged", async () => {
    const small = Buffer.from(JSON.stringify({ action: "opened", repository: { full_name: "octo/repo" } }));
    const large = Buffer.from(`{"pad":"${"x".repeat(MiB - 10)}"}`);
    expect(large.length).toBe(MiB);
    const lines: string[] = [];
    const parse = jest.spyOn(JSON, "parse");
    try {
      for (const [label, body, n] of [
        ["small", small, 5000],
        ["1 MiB", large, 100],
      ] as const) {
        const hmac = await cpuPerCall(n, () => createHmac("sha256", GITHUB_SECRET).update(body).digest());
        lines.push(`${label} body (${body.length} B), one HMAC-SHA256: ${hmac.toFixed(1)} µs`);
        for (const [name, request] of Object.entries(requests(body))) {
          let last: Handled | undefined;
          const perCall = await cpuPerCall(n, async () => {
            last = await gateway(request);
          });
          expect(last!.response.statusCode).toBe(401);
          lines.push(`${label} body, ${name}: ${perCall.toFixed(1)} µs CPU per request (n=${n})`);
        }
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    expect(published).toHaveLength(0);
    console.log(`CPU per rejected request (createGateway, in-process):\n${lines.join("\n")}`);
  });
});
