import { createHmac, timingSafeEqual } from "node:crypto";

const PREFIX = "sha256=";
const HEX_LENGTH = 64;
const HEX = /^[0-9a-f]{64}$/;

/**
 * Verifies GitHub's `X-Hub-Signature-256` over the raw body against any of the given secrets
 * (several are accepted at once during rotation). Pure and synchronous: no I/O, no parsing.
 *
 * Agrees with `@octokit/webhooks-methods` `verify`/`verifyWithFallback` (tested as an oracle)
 * but works on the bytes that arrived instead of a decoded string, so a body that is not valid
 * UTF-8 is judged on what was signed.
 *
 * @see https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * @example
 * verifyGitHubSignature(["s3cret"], Buffer.from('{"zen":"hi"}'), req.headers["x-hub-signature-256"]) // true | false
 */
export function verifyGitHubSignature(
  secrets: readonly string[],
  body: Buffer,
  signature: string | undefined,
): boolean {
  // GitHub sends lower-case hex; anything else (upper case, SHA-1, sha512=, spaces) is refused
  // before any HMAC is computed.
  if (signature?.length !== PREFIX.length + HEX_LENGTH || !signature.startsWith(PREFIX)) return false;
  const hex = signature.slice(PREFIX.length);
  if (!HEX.test(hex)) return false;
  const expected = Buffer.from(hex, "hex");
  let valid = false;
  // Every secret is tried even after a match so timing does not reveal which one matched.
  for (const secret of secrets) {
    const actual = createHmac("sha256", secret).update(body).digest();
    valid = timingSafeEqual(actual, expected) || valid;
  }
  return valid;
}

/**
 * Computes the `X-Hub-Signature-256` value for a body (used by fixtures, replay and tests).
 *
 * @example
 * signGitHub("s3cret", '{"zen":"hi"}') // "sha256=…"
 */
export function signGitHub(secret: string, body: string | Buffer): string {
  return PREFIX + createHmac("sha256", secret).update(body).digest("hex");
}
