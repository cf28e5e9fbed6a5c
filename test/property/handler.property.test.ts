/**
 * A few runs of the properties through the real ingest handler and a real (fauxqs) queue: the
 * SQS emulator refuses characters outside SQS's set, so this checks the escapes end to end.
 */
import fc from "fast-check";
import { signGitHub } from "../../src/edge/signatures/github";
import { signSlack } from "../../src/edge/signatures/slack";
import { type EdgeHarness, GITHUB_SECRET, SLACK_SECRET, startEdge } from "../helpers/edge";
import { functionUrlEvent } from "../helpers/function-url";
import {
  CONTRACT_STATUSES,
  formOf,
  headersOf,
  jsonObject,
  jsonText,
  requestSpec,
  toFunctionUrlEvent,
} from "./arbitraries";
import { firstSqsForbidden } from "./sqs-chars";

let edge: EdgeHarness;
beforeAll(async () => {
  edge = await startEdge();
});
afterAll(() => edge.stop());

const nowSeconds = () => Math.floor(Date.now() / 1000);

test("GitHub payloads with odd characters are queued once and round-trip exactly", async () => {
  await fc.assert(
    fc.asyncProperty(jsonText, fc.boolean(), fc.boolean(), async (text, asForm, base64) => {
      const body = asForm ? formOf(text) : text;
      const result = await edge.invoke(
        functionUrlEvent({
          path: "/github",
          headers: {
            "content-type": asForm ? "application/x-www-form-urlencoded" : "application/json",
            "x-github-event": "issues",
            "x-github-delivery": "d-prop",
            "x-hub-signature-256": signGitHub(GITHUB_SECRET, body),
          },
          body,
          base64,
        }),
      );
      const messages = await edge.drain();
      expect([result.statusCode, messages.length]).toEqual([202, 1]);
      const message = messages[0]!.Body!;
      expect(firstSqsForbidden(message)).toBe(-1);
      const data = JSON.parse(message).data;
      expect(data).toEqual(JSON.parse(text));
      expect(JSON.stringify(data)).toBe(JSON.stringify(JSON.parse(text)));
    }),
    { numRuns: 40 },
  );
});

test("Slack events with odd characters are queued once and round-trip exactly", async () => {
  await fc.assert(
    fc.asyncProperty(jsonObject, async (value) => {
      fc.pre(value.type !== "url_verification");
      const body = JSON.stringify(value);
      const ts = String(nowSeconds());
      const result = await edge.invoke(
        functionUrlEvent({
          path: "/slack",
          headers: {
            "content-type": "application/json",
            "x-slack-request-timestamp": ts,
            "x-slack-signature": signSlack(SLACK_SECRET, ts, body),
          },
          body,
        }),
      );
      const messages = await edge.drain();
      expect([result.statusCode, messages.length]).toEqual([200, 1]);
      expect(JSON.parse(messages[0]!.Body!).data).toEqual(JSON.parse(body));
    }),
    { numRuns: 40 },
  );
});

test("random requests through the handler: contract statuses only, never 5xx, at most one message", async () => {
  await fc.assert(
    fc.asyncProperty(requestSpec, async (spec) => {
      const event = toFunctionUrlEvent(
        spec,
        headersOf(spec, nowSeconds(), { github: GITHUB_SECRET, slack: SLACK_SECRET }),
      );
      const result = await edge.invoke(event);
      const messages = await edge.drain();
      const status = result.statusCode!;
      expect(CONTRACT_STATUSES.has(status)).toBe(true);
      expect(status).toBeLessThan(500);
      // 202 (GitHub) queues exactly one message; Slack's 200 one or none (handshakes); the rest none.
      if (status === 202) expect(messages).toHaveLength(1);
      else if (status === 200) expect(messages.length).toBeLessThanOrEqual(1);
      else expect(messages).toHaveLength(0);
      for (const message of messages) expect(firstSqsForbidden(message.Body!)).toBe(-1);
    }),
    { numRuns: 60 },
  );
});
