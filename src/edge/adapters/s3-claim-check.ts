import { createHash } from "node:crypto";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ClaimCheckPort, Deadline } from "../ports";

/**
 * {@link ClaimCheckPort} on S3: the whole serialized event is stored under a key derived from
 * its id (a redelivery overwrites the same object) and referenced as `s3://bucket/key`.
 *
 * @example
 * const store = new S3ClaimCheck(new S3Client({}), "gateway-payloads");
 * await store.put("github:72d3…", body, deadlineIn(2000)) // "s3://gateway-payloads/events/5d1e….json"
 */
export class S3ClaimCheck implements ClaimCheckPort {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix = "events/",
  ) {}

  async put(eventId: string, body: string, deadline: Deadline): Promise<string> {
    const key = `${this.prefix}${createHash("sha256").update(eventId).digest("hex")}.json`;
    await this.client.send(
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
