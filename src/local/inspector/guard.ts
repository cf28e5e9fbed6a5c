import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** The header the page sends its per-runtime token in (with requests that carry no `Origin`). */
export const TOKEN_HEADER = "x-inspector-token";

const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

/**
 * Whether a `Host` header names this runtime on a loopback address: `127.0.0.1:<port>`,
 * `localhost:<port>` or `[::1]:<port>`. Anything else may be a DNS-rebinding attack (a foreign
 * name resolved to 127.0.0.1), so the inspector refuses it.
 *
 * @example
 * loopbackHost("localhost:3000", 3000) // true
 * loopbackHost("evil.example:3000", 3000) // false
 */
export function loopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const lower = host.toLowerCase();
  return LOOPBACK_NAMES.some((name) => lower === `${name}:${port}`);
}

/**
 * Whether an `Origin` header is this runtime's own origin (over any loopback name).
 *
 * @example
 * ownOrigin("http://127.0.0.1:3000", 3000) // true
 */
export function ownOrigin(origin: string, port: number): boolean {
  return LOOPBACK_NAMES.some((name) => origin.toLowerCase() === `http://${name}:${port}`);
}

/**
 * Answers 403 and returns false unless the request's `Host` is this runtime's loopback address.
 * The server applies it to the page and every `/_/` route; `/github` and `/slack` stay open to
 * any Host (tunnels such as smee or ngrok forward with their own).
 *
 * @example
 * if (!guardHost(req, res)) return;
 */
export function guardHost(req: IncomingMessage, res: ServerResponse): boolean {
  if (loopbackHost(req.headers.host, req.socket.localPort ?? -1)) return true;
  refuse(res, "forbidden_host");
  return false;
}

/**
 * Whether a state-changing request comes from the page itself: an `Origin` equal to the runtime's
 * own, or no `Origin` and the per-runtime token the page embeds. A page from another origin can
 * neither forge its `Origin` nor read the token.
 *
 * @example
 * if (!actionAllowed(req, token)) return refuse(res, "forbidden_origin");
 */
export function actionAllowed(req: IncomingMessage, token: string): boolean {
  if (req.headers["sec-fetch-site"] === "cross-site") return false;
  const origin = req.headers.origin;
  if (origin !== undefined) return ownOrigin(origin, req.socket.localPort ?? -1);
  const sent = req.headers[TOKEN_HEADER];
  return typeof sent === "string" && sameText(sent, token);
}

/** Writes a 403 with a short JSON reason. */
export function refuse(res: ServerResponse, error: string): void {
  const body = JSON.stringify({ error });
  res.writeHead(403, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
