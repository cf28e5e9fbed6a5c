import { loadFixtures } from "../../../src/fixtures/load";
import { signFixture } from "../../../src/fixtures/sign";
import { type EdgeHarness, GITHUB_SECRET, SLACK_SECRET, startEdge } from "../../helpers/edge";
import { functionUrlEvent } from "../../helpers/function-url";

const NOW = Date.parse("2026-11-23T10:00:00.000Z");
const fixtures = loadFixtures(["fixtures"]);

let edge: EdgeHarness;
beforeAll(async () => {
  jest.useFakeTimers({
    now: NOW,
    doNotFake: [
      "nextTick",
      "setImmediate",
      "setTimeout",
      "clearTimeout",
      "setInterval",
      "clearInterval",
      "queueMicrotask",
      "performance",
      "hrtime",
    ],
  });
  edge = await startEdge();
});
afterAll(async () => {
  jest.useRealTimers();
  await edge.stop();
});

test("the curated set covers both providers", () => {
  const count = (provider: string) => fixtures.filter((f) => f.provider === provider).length;
  expect(count("github")).toBeGreaterThanOrEqual(12);
  expect(count("slack")).toBeGreaterThanOrEqual(9);
});

/** What `data` must hold: the JSON body, the form's `payload` field, or a slash command's fields. */
function expectedData(contentType: string, body: string): unknown {
  if (contentType.startsWith("application/json")) return JSON.parse(body);
  const form = new URLSearchParams(body);
  const payload = form.get("payload");
  return payload === null ? Object.fromEntries(form) : JSON.parse(payload);
}

test.each(fixtures.map((f) => [f.name, f] as const))(
  "%s is answered and queued as recorded",
  async (_name, fixture) => {
    const signed = signFixture(fixture, { github: GITHUB_SECRET, slack: SLACK_SECRET }, NOW);
    const result = await edge.invoke(
      functionUrlEvent({
        method: signed.method,
        path: signed.path,
        headers: signed.headers,
        body: signed.body,
      }),
    );
    const messages = await edge.drain();
    expect(result.statusCode).toBe(fixture.expect.status);
    const expected = fixture.expect.event;
    if (!expected) {
      expect(messages).toHaveLength(0);
      return;
    }
    expect(messages).toHaveLength(1);
    const message = messages[0]!;
    const event = JSON.parse(message.Body!);
    const data = expectedData(signed.headers["content-type"] ?? "", fixture.request.body);
    const eventTime = (data as { event_time?: number }).event_time;
    const envelope: Record<string, unknown> = {
      specversion: "1.0",
      id: expected.id,
      source: expected.source,
      type: expected.type,
      time:
        typeof eventTime === "number" ? new Date(eventTime * 1000).toISOString() : "2026-11-23T10:00:00.000Z",
      datacontenttype: "application/json",
      provider: fixture.provider,
      receivedat: "2026-11-23T10:00:00.000Z",
      data,
    };
    if (expected.subject !== undefined) envelope.subject = expected.subject;
    const hookId = signed.headers["x-github-hook-id"];
    if (fixture.provider === "github" && hookId) envelope.hookid = hookId;
    const retry = signed.headers["x-slack-retry-num"];
    if (retry)
      Object.assign(envelope, {
        retrynum: Number(retry),
        retryreason: signed.headers["x-slack-retry-reason"],
      });
    expect(event).toEqual(envelope);
    expect(message.MessageAttributes).toEqual({
      type: { DataType: "String", StringValue: expected.type },
      source: { DataType: "String", StringValue: expected.source },
      provider: { DataType: "String", StringValue: fixture.provider },
    });
    if (fixture.provider === "github") expect(result.body).toBe(JSON.stringify({ id: expected.id }));
    else expect(result.body).toBe("");
  },
);
