/**
 * The project's signature checks agree with a straightforward reference (createHmac, then a plain
 * comparison of the expected header value) for random secrets, bodies, timestamps and signatures.
 */
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { signGitHub, verifyGitHubSignature } from "../../src/edge/signatures/github";
import { SLACK_MAX_SKEW_SECONDS, signSlack, verifySlackSignature } from "../../src/edge/signatures/slack";

const NOW_MS = 1_795_428_000_123;
const NOW_S = Math.floor(NOW_MS / 1000);

function referenceGitHub(secrets: readonly string[], body: Buffer, header: string | undefined): boolean {
  return secrets.some(
    (secret) => header === `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
  );
}

function referenceSlack(
  secrets: readonly string[],
  body: Buffer,
  timestamp: string | undefined,
  header: string | undefined,
): boolean {
  if (timestamp === undefined || !/^[0-9]+$/.test(timestamp)) return false;
  if (Math.abs(NOW_S - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) return false;
  return secrets.some(
    (secret) =>
      header ===
      `v0=${createHmac("sha256", secret)
        .update(Buffer.concat([Buffer.from(`v0:${timestamp}:`), body]))
        .digest("hex")}`,
  );
}

const secret = fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.stringMatching(/^[0-9a-f]{32}$/));
const secrets = fc.array(secret, { minLength: 1, maxLength: 3 });
const body = fc.oneof(
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: "binary", maxLength: 200 }).map((text) => Buffer.from(text)),
);

/** A header value: the right one, a near miss of it, or anything. */
function header(right: string, prefix: string) {
  return fc.oneof(
    fc.constant(right),
    fc.constant(right.toUpperCase()),
    fc.constant(` ${right}`),
    fc.constant(right.slice(0, -1)),
    fc.constant(`${right}0`),
    fc.constant(right.replace(prefix, prefix === "v0=" ? "v1=" : "sha1=")),
    fc
      .nat({ max: right.length - 1 })
      .map((i) => right.slice(0, i) + (right[i] === "a" ? "b" : "a") + right.slice(i + 1)),
    fc.stringMatching(/^[0-9a-f]{64}$/).map((hex) => prefix + hex),
    fc.string({ maxLength: 80 }),
    fc.constant(undefined),
    fc.constant(""),
  );
}

test("verifyGitHubSignature agrees with createHmac + compare", () => {
  fc.assert(
    fc.property(
      secrets,
      secrets,
      body,
      fc.boolean(),
      fc.nat(),
      (configured, other, bytes, signWithConfigured, pick) => {
        const signer = signWithConfigured ? configured[pick % configured.length]! : other[0]!;
        const right = signGitHub(signer, bytes);
        fc.assert(
          fc.property(header(right, "sha256="), (value) => {
            expect(verifyGitHubSignature(configured, bytes, value)).toBe(
              referenceGitHub(configured, bytes, value),
            );
          }),
          { numRuns: 5 },
        );
      },
    ),
    { numRuns: 200 },
  );
});

test("verifySlackSignature agrees with createHmac + compare and the ±300 s window", () => {
  const timestamp = fc.oneof(
    fc.integer({ min: -400, max: 400 }).map((skew) => String(NOW_S + skew)),
    fc.integer({ min: -400, max: 400 }).map((skew) => `0${NOW_S + skew}`),
    fc.constantFrom(undefined, "", "-1", "1e9", " 1795428000", "1795428000.0", "+1795428000", "0x6b0a7d20"),
    fc.nat().map(String),
    fc.string({ maxLength: 14 }),
  );
  fc.assert(
    fc.property(
      secrets,
      secret,
      body,
      timestamp,
      fc.boolean(),
      fc.nat(),
      (configured, other, bytes, ts, signWithConfigured, pick) => {
        const signer = signWithConfigured ? configured[pick % configured.length]! : other;
        const right = signSlack(signer, ts ?? "", bytes);
        fc.assert(
          fc.property(header(right, "v0="), (value) => {
            const ours = verifySlackSignature(configured, bytes, ts, value, NOW_MS) === "ok";
            expect(ours).toBe(referenceSlack(configured, bytes, ts, value));
          }),
          { numRuns: 5 },
        );
      },
    ),
    { numRuns: 200 },
  );
});
