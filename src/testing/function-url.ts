import type { LambdaFunctionURLEvent } from "aws-lambda";

export interface UrlRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body base64-encoded, as function URLs do for non-text content. */
  base64?: boolean;
}

/** Builds a function URL event (payload format 2.0) the way Lambda delivers it. */
export function functionUrlEvent(request: UrlRequest): LambdaFunctionURLEvent {
  const method = request.method ?? "POST";
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  const raw = request.body === undefined ? undefined : Buffer.from(request.body);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: request.path,
    rawQueryString: "",
    headers,
    requestContext: {
      accountId: "anonymous",
      apiId: "abcdefghij",
      domainName: "abcdefghij.lambda-url.us-east-1.on.aws",
      domainPrefix: "abcdefghij",
      http: {
        method,
        path: request.path,
        protocol: "HTTP/1.1",
        sourceIp: "192.0.2.1",
        userAgent: headers["user-agent"] ?? "test",
      },
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      routeKey: "$default",
      stage: "$default",
      time: "23/Nov/2026:10:00:00 +0000",
      timeEpoch: 1795428000000,
    },
    body: raw === undefined ? undefined : request.base64 ? raw.toString("base64") : raw.toString("utf8"),
    isBase64Encoded: request.base64 ?? false,
  };
}
