import type { S3Client } from "@aws-sdk/client-s3";
import { claimCheckKey } from "../../contract/limits";
import type { ClaimCheckPort, Deadline } from "../ports";

/**
 * {@link ClaimCheckPort} on S3: the whole serialized event is stored under a key derived from
 * its id ({@link claimCheckKey}: a redelivery overwrites the same object) and referenced as `s3://bucket/key`.
 * The client may be given as a function that builds it: `@aws-sdk/client-s3` is then loaded on
 * the first claim check, not at cold start.
 *
 * @example
 * const store = new S3ClaimCheck(new S3Client({}), "gateway-payloads");
 * await store.put("github:72d3…", body, deadlineIn(2000)) // "s3://gateway-payloads/events/5d1e….json"
 */
export class S3ClaimCheck implements ClaimCheckPort {
  constructor(
    private readonly client: S3Client | (() => S3Client),
    private readonly bucket: string,
  ) {}

  async put(eventId: string, body: string, deadline: Deadline): Promise<string> {
    const key = claimCheckKey(eventId);
    const client = typeof this.client === "function" ? this.client() : this.client;
    const { PutObjectCommand } = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");
    await client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: "application/cloudevents+json",
      }),
      { abortSignal: deadline.signal() },
    );
    return `s3://${this.bucket}/${key}`;
  }
}
