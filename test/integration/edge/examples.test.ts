import { signGitHub } from "../../../src/edge/signatures/github";
import { exampleFixtures } from "../../../src/fixtures/examples";
import { type EdgeHarness, GITHUB_SECRET, startEdge } from "../../helpers/edge";
import { functionUrlEvent } from "../../helpers/function-url";

const escapeAstral = (text: string) =>
  text.replace(/[\u{10000}-\u{10FFFF}]/gu, (c) =>
    [0, 1].map((i) => `\\u${c.charCodeAt(i).toString(16)}`).join(""),
  );

const NOW = Date.parse("2026-11-23T10:00:00.000Z");
const fixtures = exampleFixtures();

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

test("the corpus holds the 329 api.github.com examples", () => {
  expect(fixtures).toHaveLength(329);
});

test("every example is verified, normalized and queued exactly as expected", async () => {
  const seen: Record<string, { type: string; source: string; subject?: string }> = {};
  for (const fixture of fixtures) {
    const headers = {
      ...fixture.request.headers,
      "x-hub-signature-256": signGitHub(GITHUB_SECRET, fixture.request.body),
    };
    const result = await edge.invoke(
      functionUrlEvent({ path: "/github", headers, body: fixture.request.body }),
    );
    const delivery = fixture.request.headers["x-github-delivery"];
    const name = fixture.request.headers["x-github-event"]!;
    const payload = JSON.parse(fixture.request.body);
    const messages = await edge.drain();

    if (name === "ping") {
      expect({ name: fixture.name, status: result.statusCode, queued: messages.length }).toEqual({
        name: fixture.name,
        status: 200,
        queued: 0,
      });
      continue;
    }
    expect({
      name: fixture.name,
      status: result.statusCode,
      body: result.body,
      queued: messages.length,
    }).toEqual({
      name: fixture.name,
      status: 202,
      body: JSON.stringify({ id: `github:${delivery}` }),
      queued: 1,
    });
    const message = messages[0]!;
    const event = JSON.parse(message.Body!);
    const action = typeof payload.action === "string" ? `.${payload.action}` : "";
    expect(event).toEqual({
      specversion: "1.0",
      id: `github:${delivery}`,
      source: expect.stringMatching(/^(https:\/\/github\.com\/|urn:github:installation:)/),
      type: `com.github.${name}${action}`,
      ...(event.subject === undefined ? {} : { subject: expect.any(String) }),
      time: "2026-11-23T10:00:00.000Z",
      datacontenttype: "application/json",
      provider: "github",
      receivedat: "2026-11-23T10:00:00.000Z",
      hookid: "123456789",
      data: payload,
    });
    // The payload is spliced in as sent, not re-serialized; only astral characters become \u escapes.
    expect(message.Body!.endsWith(`,"data":${escapeAstral(fixture.request.body)}}`)).toBe(true);
    expect(message.MessageAttributes).toEqual({
      type: { DataType: "String", StringValue: event.type },
      source: { DataType: "String", StringValue: event.source },
      provider: { DataType: "String", StringValue: "github" },
    });
    seen[fixture.name] = { type: event.type, source: event.source, subject: event.subject };
  }
  // Sources and subjects, reviewed once and kept: any change in normalization shows up here.
  expect(seen).toMatchSnapshot();
});
