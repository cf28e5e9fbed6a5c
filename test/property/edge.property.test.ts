/**
 * Property-based tests of the edge's core (`createGateway`) with an in-memory publish: random
 * requests never crash it and only get contract statuses; any change to a signed body or header
 * is 401; normalization keeps every valid JSON payload exactly and writes only SQS-safe text.
 */
import fc from "fast-check";
import { type NormalizedEvent, serializeEvent } from "../../src/contract/event";
import { createGateway } from "../../src/edge/gateway";
import type { GatewayRequest } from "../../src/edge/http";
import type { PublishResult } from "../../src/edge/publisher";
import { signGitHub } from "../../src/edge/signatures/github";
import { signSlack } from "../../src/edge/signatures/slack";
import { PayloadTooLargeError, QueueUnavailableError } from "../../src/shared/errors";
import {
  CONTRACT_STATUSES,
  formOf,
  GITHUB_SECRET,
  jsonObject,
  jsonText,
  NOW_MS,
  NOW_S,
  oddKey,
  oddString,
  requestSpec,
  SLACK_SECRET,
  toGatewayRequest,
} from "./arbitraries";
import { firstSqsForbidden } from "./sqs-chars";

type Fault = "none" | "unrouted" | "queue-unavailable" | "too-large" | "slow-reject";

function recordingGateway(fault: Fault = "none") {
  const published: NormalizedEvent[] = [];
  const gateway = createGateway({
    secrets: { github: () => [GITHUB_SECRET], slack: () => [SLACK_SECRET] },
    now: () => NOW_MS,
    publish: async (event): Promise<PublishResult> => {
      published.push(event);
      if (fault === "queue-unavailable") throw new QueueUnavailableError("queue down");
      if (fault === "slow-reject") {
        await new Promise((resolve) => setImmediate(resolve));
        throw new QueueUnavailableError("deadline passed");
      }
      if (fault === "too-large") throw new PayloadTooLargeError(1024);
      return { queued: fault === "unrouted" ? [] : ["archive"], claimChecked: false };
    },
  });
  return { gateway, published };
}

const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";

describe("random requests", () => {
  test("never crash, answer only contract statuses, and 5xx only for queue faults", async () => {
    const faults = fc.constantFrom<Fault>(
      "none",
      "none",
      "unrouted",
      "queue-unavailable",
      "too-large",
      "slow-reject",
    );
    await fc.assert(
      fc.asyncProperty(requestSpec, faults, async (spec, fault) => {
        const { gateway, published } = recordingGateway(fault);
        const request = toGatewayRequest(spec);
        const { response, outcome } = await gateway(request);
        const status = response.statusCode;

        expect(CONTRACT_STATUSES.has(status)).toBe(true);
        expect(published.length).toBeLessThanOrEqual(1);
        if (status >= 500) {
          expect(status).toBe(503);
          expect(published).toHaveLength(1);
          expect(["queue-unavailable", "slow-reject"]).toContain(fault);
        }
        // Something was published only on the way to a 2xx, or when the queue fault answered.
        if (published.length === 1) {
          const faultStatus = {
            none: [200, 202],
            unrouted: [200, 202],
            "queue-unavailable": [503],
            "slow-reject": [503],
            "too-large": [413],
          };
          expect(faultStatus[fault]).toContain(status);
          expect(firstSqsForbidden(serializeEvent(published[0]!))).toBe(-1);
        }
        if (status === 202) expect(request.path).toBe("/github");
        if (status === 405) expect(response.headers.allow).toBe("POST");
        if (status >= 400) {
          const body = JSON.parse(response.body);
          expect(typeof body.error).toBe("string");
          expect(response.body.length).toBeLessThan(300);
          expect(outcome.status).toBe(status < 500 ? "rejected" : "failed");
        }
        if (request.path === "/slack" && status >= 400 && status !== 404) {
          expect(response.headers["x-slack-no-retry"]).toBe(status < 500 ? "1" : undefined);
        }
        expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  test("header names and values of any kind, duplicated or missing, never crash the edge", async () => {
    const { gateway } = recordingGateway();
    const headers = fc.dictionary(
      fc.oneof(fc.string(), oddString, oddKey),
      fc.oneof(fc.string(), oddString),
      {
        maxKeys: 8,
      },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/github", "/slack"),
        headers,
        fc.uint8Array({ maxLength: 64 }),
        async (path, extra, bytes) => {
          const request: GatewayRequest = { method: "POST", path, headers: extra, body: Buffer.from(bytes) };
          const { response } = await gateway(request);
          expect([400, 401, 413, 415]).toContain(response.statusCode);
        },
      ),
      { numRuns: 300 },
    );
  });
});

type Mutation = { kind: "flip" | "insert" | "delete" | "append"; at: number; byte: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("flip", "insert", "delete", "append"),
  at: fc.nat(),
  byte: fc.integer({ min: 1, max: 255 }),
});

function mutate(body: Buffer, m: Mutation): Buffer {
  const at = m.at % body.length;
  switch (m.kind) {
    case "flip": {
      const copy = Buffer.from(body);
      copy[at] = copy[at]! ^ m.byte;
      return copy;
    }
    case "insert":
      return Buffer.concat([body.subarray(0, at), Buffer.from([m.byte]), body.subarray(at)]);
    case "delete":
      return Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]);
    case "append":
      return Buffer.concat([body, Buffer.from([m.byte])]);
  }
}

/** Signed, acceptable GitHub bodies (JSON or `payload=` form), as (content type, text). */
const githubSigned = fc.oneof(
  jsonText.map((text) => [JSON_TYPE, text] as const),
  jsonText.map((text) => [FORM_TYPE, formOf(text)] as const),
);

/** Signed, acceptable Slack bodies: Events API JSON, interactions, slash commands. */
const slackSigned = fc.oneof(
  jsonObject
    .filter((value) => value.type !== "url_verification")
    .map((value) => [JSON_TYPE, JSON.stringify(value)] as const),
  jsonText.map((text) => [FORM_TYPE, formOf(text)] as const),
  fc
    .dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).filter((name) => name !== "payload"),
      oddString,
      { maxKeys: 4 },
    )
    .map((fields) => [FORM_TYPE, new URLSearchParams({ command: "/x", ...fields }).toString()] as const),
);

describe("tampering", () => {
  const githubRequest = (type: string, body: Buffer, signature: string): GatewayRequest => ({
    method: "POST",
    path: "/github",
    headers: {
      "content-type": type,
      "x-github-event": "issues",
      "x-github-delivery": "d-1",
      "x-hub-signature-256": signature,
    },
    body,
  });
  const slackRequest = (
    type: string,
    body: Buffer,
    timestamp: string,
    signature: string,
  ): GatewayRequest => ({
    method: "POST",
    path: "/slack",
    headers: { "content-type": type, "x-slack-request-timestamp": timestamp, "x-slack-signature": signature },
    body,
  });

  test("any change to a GitHub-signed body is 401 and publishes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(githubSigned, mutation, async ([type, text], m) => {
        const { gateway, published } = recordingGateway();
        const body = Buffer.from(text);
        const signature = signGitHub(GITHUB_SECRET, body);
        // The untouched request is accepted (so the 401 below is the mutation's doing).
        expect((await gateway(githubRequest(type, body, signature))).response.statusCode).toBe(202);
        published.length = 0;
        const { response } = await gateway(githubRequest(type, mutate(body, m), signature));
        expect([response.statusCode, published.length]).toEqual([401, 0]);
      }),
      { numRuns: 300 },
    );
  });

  test("any change to a Slack-signed body is 401 and publishes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(slackSigned, mutation, async ([type, text], m) => {
        const { gateway, published } = recordingGateway();
        const body = Buffer.from(text);
        const ts = String(NOW_S);
        const signature = signSlack(SLACK_SECRET, ts, body);
        const original = await gateway(slackRequest(type, body, ts, signature));
        expect(original.response.statusCode).toBe(200);
        published.length = 0;
        const { response } = await gateway(slackRequest(type, mutate(body, m), ts, signature));
        expect([response.statusCode, published.length, response.headers["x-slack-no-retry"]]).toEqual([
          401,
          0,
          "1",
        ]);
      }),
      { numRuns: 300 },
    );
  });

  test("any change to the signed Slack timestamp or to the signature is 401 and publishes nothing", async () => {
    const timestampChange = fc.oneof(
      fc
        .integer({ min: -300, max: 300 })
        .filter((d) => d !== 0)
        .map((d) => (ts: string) => String(Number(ts) + d)),
      fc.constant((ts: string) => `0${ts}`),
      fc.constant((ts: string) => `${ts} `),
      fc.constant((ts: string) => `${ts}.0`),
      fc.constant((ts: string) => ts.slice(0, -1)),
    );
    await fc.assert(
      fc.asyncProperty(
        slackSigned,
        fc.integer({ min: -300, max: 300 }),
        timestampChange,
        fc.nat(),
        async ([type, text], skew, change, at) => {
          const { gateway, published } = recordingGateway();
          const body = Buffer.from(text);
          const ts = String(NOW_S + skew);
          const signature = signSlack(SLACK_SECRET, ts, body);
          expect((await gateway(slackRequest(type, body, ts, signature))).response.statusCode).toBe(200);
          published.length = 0;
          const moved = await gateway(slackRequest(type, body, change(ts), signature));
          // One hex digit of the signature changed.
          const i = 3 + (at % 64);
          const digit = signature[i] === "0" ? "1" : "0";
          const forged = signature.slice(0, i) + digit + signature.slice(i + 1);
          const badSig = await gateway(slackRequest(type, body, ts, forged));
          expect([moved.response.statusCode, badSig.response.statusCode, published.length]).toEqual([
            401, 401, 0,
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("normalization", () => {
  /** Checks one published event against the payload text it came from. */
  function expectExact(event: NormalizedEvent, payloadText: string) {
    expect(event.dataJson).toBe(payloadText);
    const serialized = serializeEvent(event);
    expect(firstSqsForbidden(serialized)).toBe(-1);
    const parsed = JSON.parse(serialized);
    const expected = JSON.parse(payloadText);
    expect(parsed.data).toEqual(expected);
    // Same keys in the same order, same values: byte-for-byte once re-serialized.
    expect(JSON.stringify(parsed.data)).toBe(JSON.stringify(expected));
    const { data: _data, ...envelope } = parsed;
    expect(envelope).toEqual(JSON.parse(JSON.stringify(event.attributes)));
  }

  test("GitHub JSON and form payloads: never throws, data kept exactly, SQS-safe", async () => {
    await fc.assert(
      fc.asyncProperty(jsonText, fc.boolean(), async (text, asForm) => {
        const { gateway, published } = recordingGateway();
        const body = Buffer.from(asForm ? formOf(text) : text);
        const { response } = await gateway({
          method: "POST",
          path: "/github",
          headers: {
            "content-type": asForm ? FORM_TYPE : JSON_TYPE,
            "x-github-event": "issues",
            "x-github-delivery": "d-1",
            "x-hub-signature-256": signGitHub(GITHUB_SECRET, body),
          },
          body,
        });
        expect([response.statusCode, published.length]).toEqual([202, 1]);
        expectExact(published[0]!, text);
      }),
      { numRuns: 400 },
    );
  });

  test("Slack Events API and interaction payloads: never throws, data kept exactly, SQS-safe", async () => {
    await fc.assert(
      fc.asyncProperty(jsonObject, fc.boolean(), async (value, asForm) => {
        fc.pre(value.type !== "url_verification");
        const text = JSON.stringify(value);
        const { gateway, published } = recordingGateway();
        const body = Buffer.from(asForm ? formOf(text) : text);
        const { response } = await gateway({
          method: "POST",
          path: "/slack",
          headers: {
            "content-type": asForm ? FORM_TYPE : JSON_TYPE,
            "x-slack-request-timestamp": String(NOW_S),
            "x-slack-signature": signSlack(SLACK_SECRET, NOW_S, body),
          },
          body,
        });
        expect([response.statusCode, published.length]).toEqual([200, 1]);
        expectExact(published[0]!, text);
      }),
      { numRuns: 400 },
    );
  });

  test("slash commands: every form field is kept exactly, SQS-safe", async () => {
    const name = fc.oneof(
      fc.string({ unit: "binary", minLength: 1, maxLength: 8 }),
      fc.constantFrom("__proto__", "constructor", "prototype", "toString"),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, fc.string({ unit: "binary" }), { maxKeys: 6 }), async (fields) => {
        const form = new URLSearchParams({ command: "/deploy", ...fields });
        const text = form.toString();
        const { gateway, published } = recordingGateway();
        const { response } = await gateway({
          method: "POST",
          path: "/slack",
          headers: {
            "content-type": FORM_TYPE,
            "x-slack-request-timestamp": String(NOW_S),
            "x-slack-signature": signSlack(SLACK_SECRET, NOW_S, text),
          },
          body: Buffer.from(text),
        });
        if (form.get("ssl_check") === "1") {
          expect([response.statusCode, published.length]).toEqual([200, 0]);
          return;
        }
        const payload = form.get("payload");
        if (payload !== null) return; // an interaction: covered above
        expect([response.statusCode, published.length]).toEqual([200, 1]);
        const serialized = serializeEvent(published[0]!);
        expect(firstSqsForbidden(serialized)).toBe(-1);
        const expected: Record<string, string> = {};
        for (const [key, value] of form)
          Object.defineProperty(expected, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        expect(JSON.parse(serialized).data).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
