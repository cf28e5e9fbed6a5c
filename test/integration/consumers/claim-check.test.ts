/**
 * Resolving a claim check from S3 (fauxqs): a missing object is reported as missing (expired or
 * deleted), not as S3 being unavailable (issue 16). In AWS, S3 says NoSuchKey only to a caller
 * that may list the bucket, which the stack grants (test/infra/iam.test.ts); it says 403 otherwise.
 */
import { randomUUID } from "node:crypto";
import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { resolveClaimCheck } from "../../../src/consumers/claim-check";
import { ClaimCheckError } from "../../../src/consumers/errors";
import type { GatewayEvent } from "../../../src/contract/event";
import { S3ClaimCheck } from "../../../src/edge/adapters/s3-claim-check";
import { deadlineIn } from "../../../src/edge/ports";
import { type Fauxqs, startSqs } from "../../helpers/emulators";
import { githubEvent, githubExample } from "../../helpers/factories";

let server: Fauxqs;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  ({ server, s3 } = await startSqs());
  bucket = `payloads-${randomUUID().slice(0, 8)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  s3.destroy();
  await server.stop();
});

function envelope(dataref: string): { event: GatewayEvent; envelope: GatewayEvent } {
  const event = githubEvent({ name: "push", payload: githubExample("push") });
  const { data: _data, ...attributes } = event;
  return { event, envelope: { ...attributes, dataref } as GatewayEvent };
}

/** The error `resolveClaimCheck` rejects with (fails the test if it resolves). */
async function failure(client: S3Client, dataref: string): Promise<ClaimCheckError> {
  const error = await resolveClaimCheck(client, envelope(dataref).envelope).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClaimCheckError);
  return error as ClaimCheckError;
}

/** A client whose every call fails as S3 does, with `name` and HTTP status. */
function failingS3(name: string, httpStatusCode: number): S3Client {
  const error = Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
  return { send: async () => Promise.reject(error) } as unknown as S3Client;
}

test("a stored claim check resolves to its event", async () => {
  const { event } = envelope("unused");
  const dataref = await new S3ClaimCheck(s3, bucket).put(event.id, JSON.stringify(event), deadlineIn(5000));
  const { data: _data, ...attributes } = event;
  await expect(resolveClaimCheck(s3, { ...attributes, dataref } as GatewayEvent)).resolves.toEqual(event);
});

test("a missing object is reported as missing (expired or deleted), with S3's NoSuchKey as the cause", async () => {
  const dataref = `s3://${bucket}/events/${"0".repeat(64)}.json`;
  const error = await failure(s3, dataref);
  expect({ code: error.code, message: error.message, cause: (error.cause as Error).name }).toEqual({
    code: "claim_check_missing",
    message: `Claim check could not be resolved: ${dataref} is missing (expired or deleted); S3 answered NoSuchKey`,
    cause: "NoSuchKey",
  });
});

test("NotFound counts as missing; a 403 (no s3:ListBucket) or a missing bucket (also a 404) does not", async () => {
  const dataref = `s3://${bucket}/events/gone.json`;
  expect((await failure(failingS3("NotFound", 404), dataref)).code).toBe("claim_check_missing");
  const denied = await failure(failingS3("AccessDenied", 403), dataref);
  expect([denied.code, denied.message]).toEqual([
    "claim_check_unavailable",
    "Claim check could not be resolved: unavailable",
  ]);
  const noBucket = await failure(s3, `s3://no-such-bucket-${randomUUID().slice(0, 8)}/events/x.json`);
  expect([noBucket.code, (noBucket.cause as Error).name]).toEqual([
    "claim_check_unavailable",
    "NoSuchBucket",
  ]);
});
