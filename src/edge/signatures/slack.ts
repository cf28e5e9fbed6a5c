import { createHmac, timingSafeEqual } from "node:crypto";

const VERSION = "v0";
const PREFIX = "v0=";
const HEX = /^[0-9a-f]{64}$/;
const DIGITS = /^[0-9]{1,12}$/;

/** Slack's replay window, in seconds, applied in both directions. */
export const SLACK_MAX_SKEW_SECONDS = 300;

export type SlackVerification = "ok" | "invalid_signature" | "stale_timestamp";

/**
 * Verifies Slack's v0 request signature over the raw body.
 *
 * The timestamp must be within {@link SLACK_MAX_SKEW_SECONDS} of `nowMs` in **both**
 * directions; Bolt's `verifySlackRequest` only refuses old timestamps, which leaves a signed
 * request with a far-future timestamp replayable forever.
 *
 * @see https://api.slack.com/authentication/verifying-requests-from-slack
 * @example
 * verifySlackSignature(["8f74…"], rawBody, headers["x-slack-request-timestamp"], headers["x-slack-signature"], Date.now()) // "ok"
 */
export function verifySlackSignature(
  secrets: readonly string[],
  body: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs: number,
): SlackVerification {
  if (timestamp === undefined || !DIGITS.test(timestamp)) return "invalid_signature";
  if (signature?.length !== PREFIX.length + 64 || !signature.startsWith(PREFIX)) return "invalid_signature";
  const hex = signature.slice(PREFIX.length);
  if (!HEX.test(hex)) return "invalid_signature";
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS)
    return "stale_timestamp";
  const expected = Buffer.from(hex, "hex");
  let valid = false;
  for (const secret of secrets) {
    const actual = createHmac("sha256", secret).update(`${VERSION}:${timestamp}:`).update(body).digest();
    valid = timingSafeEqual(actual, expected) || valid;
  }
  return valid ? "ok" : "invalid_signature";
}

/**
 * Computes `X-Slack-Signature` for a body and timestamp (used by fixtures, replay and tests).
 *
 * @example
 * signSlack("8f74…", 1700000000, "token=…&command=%2Fdeploy") // "v0=…"
 */
export function signSlack(secret: string, timestamp: number | string, body: string | Buffer): string {
  return PREFIX + createHmac("sha256", secret).update(`${VERSION}:${timestamp}:`).update(body).digest("hex");
}
