/**
 * The edge's view of HTTP, shared by the Lambda function URL adapter and the local server.
 * Header names are lower-case; the body is the exact bytes that arrived.
 */
export interface GatewayRequest {
  method: string;
  path: string;
  headers: Readonly<Record<string, string | undefined>>;
  body: Buffer;
}

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Builds a JSON response.
 *
 * @example
 * json(202, { id: "github:0b5f…" }) // { statusCode: 202, headers: { "content-type": "application/json" }, body: '{"id":"github:0b5f…"}' }
 */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): GatewayResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/** The media type of a `Content-Type` header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return "";
  const semi = contentType.indexOf(";");
  return (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}
