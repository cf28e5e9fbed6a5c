import { verifySlackRequest } from "@slack/bolt";
import {
  SLACK_MAX_SKEW_SECONDS,
  signSlack,
  verifySlackSignature,
} from "../../../../src/edge/signatures/slack";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&command=%2Fweather&text=94070";
const NOW_MS = 1_795_428_000_000;
const NOW = NOW_MS / 1000;

function bolt(timestamp: string | undefined, signature: string | undefined, nowMs = NOW_MS): boolean {
  try {
    verifySlackRequest({
      signingSecret: SECRET,
      body: BODY,
      headers: {
        "x-slack-signature": signature as string,
        "x-slack-request-timestamp": timestamp as unknown as number,
      },
      nowMilliseconds: nowMs,
    });
    return true;
  } catch {
    return false;
  }
}

const ours = (timestamp: string | undefined, signature: string | undefined, nowMs = NOW_MS) =>
  verifySlackSignature([SECRET], Buffer.from(BODY), timestamp, signature, nowMs) === "ok";

const at = (offset: number) => String(NOW + offset);
const cases: [string, string | undefined, string | undefined][] = [
  ["valid, now", at(0), signSlack(SECRET, at(0), BODY)],
  ["valid, 299 s old", at(-299), signSlack(SECRET, at(-299), BODY)],
  ["valid, 300 s old", at(-300), signSlack(SECRET, at(-300), BODY)],
  ["301 s old", at(-301), signSlack(SECRET, at(-301), BODY)],
  ["an hour old", at(-3600), signSlack(SECRET, at(-3600), BODY)],
  ["wrong secret", at(0), signSlack("other", at(0), BODY)],
  ["signature for another timestamp", at(0), signSlack(SECRET, at(-1), BODY)],
  ["v1 prefix", at(0), signSlack(SECRET, at(0), BODY).replace("v0=", "v1=")],
  ["upper-case hex", at(0), `v0=${signSlack(SECRET, at(0), BODY).slice(3).toUpperCase()}`],
  ["truncated", at(0), signSlack(SECRET, at(0), BODY).slice(0, -1)],
  ["missing signature", at(0), undefined],
  ["missing timestamp", undefined, signSlack(SECRET, at(0), BODY)],
];

test.each(cases)("agrees with Bolt's verifySlackRequest: %s", (_name, timestamp, signature) => {
  expect(ours(timestamp, signature)).toBe(bolt(timestamp, signature));
});

test.each([
  ["301 s ahead", 301],
  ["an hour ahead", 3600],
  ["a year ahead", 365 * 86400],
])("is stricter than Bolt on future timestamps: %s", (_name, offset) => {
  const timestamp = at(offset);
  const signature = signSlack(SECRET, timestamp, BODY);
  expect(bolt(timestamp, signature)).toBe(true);
  expect(verifySlackSignature([SECRET], Buffer.from(BODY), timestamp, signature, NOW_MS)).toBe(
    "stale_timestamp",
  );
});

test("is stricter than Bolt on a signed non-numeric timestamp, which Bolt lets through", () => {
  // Bolt compares "soon" < fiveMinutesAgo, which is false for NaN, so the age check never fires.
  const signature = signSlack(SECRET, "soon", BODY);
  expect(bolt("soon", signature)).toBe(true);
  expect(verifySlackSignature([SECRET], Buffer.from(BODY), "soon", signature, NOW_MS)).toBe(
    "invalid_signature",
  );
});

test("accepts up to the window's edge in the future", () => {
  const timestamp = at(SLACK_MAX_SKEW_SECONDS);
  expect(ours(timestamp, signSlack(SECRET, timestamp, BODY))).toBe(true);
});

test("accepts any of several secrets (rotation)", () => {
  const timestamp = at(0);
  const signature = signSlack("old-secret", timestamp, BODY);
  expect(
    verifySlackSignature(["new-secret", "old-secret"], Buffer.from(BODY), timestamp, signature, NOW_MS),
  ).toBe("ok");
  expect(verifySlackSignature(["new-secret"], Buffer.from(BODY), timestamp, signature, NOW_MS)).toBe(
    "invalid_signature",
  );
});
