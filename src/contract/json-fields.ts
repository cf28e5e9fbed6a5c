/** Typed readers for fields of parsed JSON: a missing or mistyped field reads as `undefined`. */

/** Reads `obj[key]` as a string, or undefined. */
export function str(obj: unknown, key: string): string | undefined {
  if (obj === null || typeof obj !== "object") return undefined;
  const value = (obj as Record<string, unknown>)[key];
  return typeof value === "string" ? value : undefined;
}

/** Reads `obj[key]` as an object, or undefined. */
export function obj(parent: unknown, key: string): Record<string, unknown> | undefined {
  if (parent === null || typeof parent !== "object") return undefined;
  const value = (parent as Record<string, unknown>)[key];
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Reads `obj[key]` as a string or a finite number, rendered as a string. */
export function idOf(parent: unknown, key: string): string | undefined {
  if (parent === null || typeof parent !== "object") return undefined;
  const value = (parent as Record<string, unknown>)[key];
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
