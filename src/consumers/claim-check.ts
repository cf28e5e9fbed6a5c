import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { GatewayEvent } from "../contract/event";
import { parseEventBody } from "../contract/parse-event";
import { ClaimCheckError } from "./errors";

/**
 * Splits an `s3://bucket/key` claim check.
 *
 * @example
 * parseDataref("s3://gateway-payloads/events/5d1e.json") // { bucket: "gateway-payloads", key: "events/5d1e.json" }
 */
export function parseDataref(dataref: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(dataref);
  if (!match?.[1] || !match[2]) throw new ClaimCheckError("bad_dataref");
  return { bucket: match[1], key: match[2] };
}

/**
 * Replaces a claim-check envelope (attributes plus `dataref`) with the full event stored in S3
 * by the edge. The stored event must have the envelope's id: a pointer to another event is an
 * error, not a silent substitution. A missing object (expired or deleted) fails with the code
 * `claim_check_missing`; any other S3 failure with `claim_check_unavailable`.
 *
 * @example
 * const event = await resolveClaimCheck(s3, envelope); // envelope.dataref = "s3://bucket/events/….json"
 * event.data // the provider's payload
 */
export async function resolveClaimCheck(
  s3: S3Client | undefined,
  envelope: GatewayEvent,
): Promise<GatewayEvent> {
  if (envelope.dataref === undefined) return envelope;
  if (!s3) throw new ClaimCheckError("no_s3_client");
  const { bucket, key } = parseDataref(envelope.dataref);
  let text: string;
  try {
    const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!output.Body) throw new ClaimCheckError("empty_object");
    text = await output.Body.transformToString("utf-8");
  } catch (cause) {
    if (cause instanceof ClaimCheckError) throw cause;
    if (isMissingObject(cause)) {
      throw new ClaimCheckError(
        "missing",
        cause,
        `${envelope.dataref} is missing (expired or deleted); S3 answered ${(cause as Error).name}`,
      );
    }
    throw new ClaimCheckError("unavailable", cause);
  }
  const event = parseEventBody(text);
  if (event.id !== envelope.id) throw new ClaimCheckError("id_mismatch");
  return event;
}

/**
 * S3's answer for a key that does not exist: `NoSuchKey` from GetObject (`NotFound` from a HEAD).
 * Not any 404: a missing bucket is `NoSuchBucket`, a deployment problem rather than an expiry. The
 * stack grants consumers `s3:ListBucket` so that S3 says so; without it S3 answers 403 AccessDenied.
 */
function isMissingObject(error: unknown): boolean {
  return error instanceof Error && (error.name === "NoSuchKey" || error.name === "NotFound");
}
