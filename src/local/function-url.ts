import { isUtf8 } from "node:buffer";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import { GatewayError } from "../shared/errors";

// Function URLs pass text bodies as strings and everything else base64-encoded.
// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
const TEXT = /^(text\/|application\/(json|[\w.+-]+\+json|xml|javascript|x-www-form-urlencoded)\b)/i;

/** Thrown when a request body exceeds the function URL's limit (the URL answers 413). */
export class BodyTooLargeError extends GatewayError {
  constructor(maxBytes: number) {
    super("payload_too_large", 413, `body over ${maxBytes} bytes`, { details: { limit: maxBytes } });
  }
}

/**
 * Reads a Node request into a function URL event (payload format 2.0), as Lambda builds it:
 * lower-case headers (repeated ones joined by commas), raw path, and the body as text or base64.
 *
 * @example
 * const event = await toFunctionUrlEvent(req, 6 * 1024 * 1024);
 */
export async function toFunctionUrlEvent(
  req: IncomingMessage,
  maxBytes: number,
): Promise<LambdaFunctionURLEvent> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  const text = TEXT.test(headers["content-type"] ?? "") && isUtf8(body);
  const now = Date.now();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: "anonymous",
      apiId: "local",
      domainName: headers.host ?? "localhost",
      domainPrefix: "local",
      http: {
        method: req.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: body.length === 0 ? undefined : text ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: body.length > 0 && !text,
  };
}

/** Writes a function URL result to a Node response. */
export function writeResult(res: ServerResponse, answer: LambdaFunctionURLResult): void {
  // A bare string is a 200 with that body, as Lambda treats it.
  const result = typeof answer === "string" ? { statusCode: 200, body: answer } : answer;
  const headers = { ...(result.headers ?? {}) } as Record<string, string>;
  const body = result.body
    ? Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8")
    : Buffer.alloc(0);
  headers["content-length"] = String(body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}
