import { InvalidEventError } from "./errors";
import type { GatewayEvent } from "./event";

/**
 * Reads a queue message body as a gateway event. The envelope must carry a non-empty string
 * `id` (the idempotency key), `type` and `source` (the filter); anything else is refused, so a
 * message that cannot be deduplicated is never processed.
 *
 * @example
 * parseEventBody('{"specversion":"1.0","id":"github:72d3…","type":"com.github.push",…}').id // "github:72d3…"
 */
export function parseEventBody(body: string): GatewayEvent {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw new InvalidEventError("not_json", cause);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InvalidEventError("not_an_object");
  }
  const event = value as Record<string, unknown>;
  for (const field of ["id", "type", "source"] as const) {
    const attribute = event[field];
    if (typeof attribute !== "string" || attribute.length === 0)
      throw new InvalidEventError(`missing_${field}`);
  }
  if (event.dataref !== undefined && typeof event.dataref !== "string") {
    throw new InvalidEventError("bad_dataref");
  }
  return event as GatewayEvent;
}
