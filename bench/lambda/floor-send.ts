/**
 * The floor with one send, as a Lambda handler bundled like the edge: HMAC-SHA256 of the body
 * against the signature header, `JSON.parse`, and one `SQSClient.send(SendMessage)` of the body on
 * a bare client (`new SQSClient({})`: region, endpoint and credentials from the environment).
 * Also the SQS-client-only bundle of the cold-start comparison.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";

const sqs = new SQSClient({});
const secret = process.env.GITHUB_WEBHOOK_SECRET ?? "";
const queueUrl = process.env.FLOOR_QUEUE_URL ?? "";

export const handler = async (event: LambdaFunctionURLEvent): Promise<LambdaFunctionURLResult> => {
  const body = Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8");
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(event.headers["x-hub-signature-256"] ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { statusCode: 401 };
  const text = body.toString("utf8");
  JSON.parse(text);
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: text }));
  return { statusCode: 202, body: "" };
};
