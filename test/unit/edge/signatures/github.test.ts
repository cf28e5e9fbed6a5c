import { createHmac } from "node:crypto";
import { sign, verify, verifyWithFallback } from "@octokit/webhooks-methods";
import { signGitHub, verifyGitHubSignature } from "../../../../src/edge/signatures/github";

const SECRET = "It's a Secret to Everybody";
const PAYLOAD = "Hello, World!";

test("matches GitHub's documented test vector", () => {
  // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
  const expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  expect(signGitHub(SECRET, PAYLOAD)).toBe(expected);
  expect(verifyGitHubSignature([SECRET], Buffer.from(PAYLOAD), expected)).toBe(true);
});

const good = createHmac("sha256", SECRET).update(PAYLOAD).digest("hex");
const cases: [string, string][] = [
  ["valid", `sha256=${good}`],
  ["wrong digest", `sha256=${"0".repeat(64)}`],
  ["upper-case hex", `sha256=${good.toUpperCase()}`],
  ["upper-case prefix", `SHA256=${good}`],
  ["sha1 prefix", `sha1=${good}`],
  ["sha512 prefix", `sha512=${good}`],
  ["no prefix", good],
  ["truncated", `sha256=${good.slice(0, 63)}`],
  ["extended", `sha256=${good}0`],
  ["leading space", ` sha256=${good}`],
  ["not hex", `sha256=${"g".repeat(64)}`],
  ["empty", ""],
];

test.each(cases)("agrees with @octokit/webhooks-methods verify: %s", async (_name, signature) => {
  const oracle = await verify(SECRET, PAYLOAD, signature).catch(() => false);
  expect(verifyGitHubSignature([SECRET], Buffer.from(PAYLOAD), signature)).toBe(oracle);
});

test.each(cases)("agrees with verifyWithFallback during rotation: %s", async (_name, signature) => {
  const oracle = await verifyWithFallback("new-secret", PAYLOAD, signature, [SECRET]).catch(() => false);
  expect(verifyGitHubSignature(["new-secret", SECRET], Buffer.from(PAYLOAD), signature)).toBe(oracle);
});

test("agrees with the oracle's own signature over non-ASCII bodies", async () => {
  const body = '{"title":"café 日本語 😀","escaped":"caf\\u00e9"}';
  const signature = await sign(SECRET, body);
  expect(verifyGitHubSignature([SECRET], Buffer.from(body, "utf8"), signature)).toBe(true);
  expect(signGitHub(SECRET, body)).toBe(signature);
});

test("rejects when no secret is configured", () => {
  expect(verifyGitHubSignature([], Buffer.from(PAYLOAD), `sha256=${good}`)).toBe(false);
});

test("judges the bytes that arrived, even when they are not valid UTF-8", () => {
  const bytes = Buffer.from([0x7b, 0xc3, 0x28, 0x7d]);
  const signature = `sha256=${createHmac("sha256", SECRET).update(bytes).digest("hex")}`;
  expect(verifyGitHubSignature([SECRET], bytes, signature)).toBe(true);
  // Decoding first (as a string-based verifier must) replaces the bad byte and breaks the match.
  expect(verifyGitHubSignature([SECRET], Buffer.from(bytes.toString("utf8")), signature)).toBe(false);
});
