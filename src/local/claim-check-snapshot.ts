import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/**
 * The embedded S3 keeps objects in memory: claim-check objects are saved at stop and put back at
 * start, with the queue snapshot that points at them.
 */
export async function saveClaimChecks(s3: S3Client, bucket: string, path: string): Promise<number> {
  const objects: { key: string; body: string }[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    for (const item of page.Contents ?? []) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.Key }));
      objects.push({ key: item.Key!, body: await object.Body!.transformToString() });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (objects.length === 0) return 0;
  writeFileSync(`${path}.tmp`, JSON.stringify(objects));
  renameSync(`${path}.tmp`, path);
  return objects.length;
}

export async function restoreClaimChecks(s3: S3Client, bucket: string, path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const objects = JSON.parse(readFileSync(path, "utf8")) as { key: string; body: string }[];
  for (const object of objects) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: object.key, Body: object.body }));
  }
  rmSync(path);
  return objects.length;
}
