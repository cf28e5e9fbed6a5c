import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { claimCheckKey } from "../../contract/limits";
import type { ClaimCheckPort, Deadline } from "../ports";

/**
 * {@link ClaimCheckPort} on S3: the whole serialized event is stored under a key derived from
 * its id ({@link claimCheckKey}: a redelivery overwrites the same object) and referenced as `s3://bucket/key`.
 *
 * @example
 * const store = new S3ClaimCheck(new S3Client({}), "gateway-payloads");
 * await store.put("github:72d3…", body, deadlineIn(2000)) // "s3://gateway-payloads/events/5d1e….json"
 */
export class S3ClaimCheck implements ClaimCheckPort {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(eventId: string, body: string, deadline: Deadline): Promise<string> {
    const key = claimCheckKey(eventId);
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
