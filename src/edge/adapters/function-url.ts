import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import type { GatewayRequest, GatewayResponse } from "../http";

/**
 * Turns a function URL event (payload format 2.0) into the edge's request. A base64 body is
 * decoded to its bytes; a text body is re-encoded as UTF-8, which is how Lambda decoded it.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
 * @example
 * fromFunctionUrlEvent(event) // { method: "POST", path: "/github", headers: {...}, body: <Buffer …> }
 */
export function fromFunctionUrlEvent(event: LambdaFunctionURLEvent): GatewayRequest {
  const headers: Record<string, string | undefined> = {};
  for (const name in event.headers) headers[name.toLowerCase()] = event.headers[name];
  const body =
    event.body === undefined || event.body === null
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? "base64" : "utf8");
  return { method: event.requestContext.http.method.toUpperCase(), path: event.rawPath, headers, body };
}

/** The edge's response as a function URL result. */
export function toFunctionUrlResult(response: GatewayResponse): LambdaFunctionURLResult {
  return { statusCode: response.statusCode, headers: response.headers, body: response.body };
}
