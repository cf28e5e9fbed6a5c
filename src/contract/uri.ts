const PLAIN = /^[\x21-\x7e]*$/;
const UNRESERVED = /[A-Za-z0-9\-._~/:@!$&'()*+,;=]/;

/**
 * Makes a payload value safe inside the event's `source` URI, which also travels as an SQS
 * message attribute: printable ASCII passes unchanged (the common case, tested first); anything
 * else is percent-encoded from its UTF-8 bytes (a lone surrogate encodes as U+FFFD).
 *
 * @example
 * uriSafe("octo/repo") // "octo/repo"
 * uriSafe("équipe")    // "%C3%A9quipe"
 */
export function uriSafe(value: string): string {
  if (PLAIN.test(value)) return value;
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    out +=
      byte < 0x80 && UNRESERVED.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
