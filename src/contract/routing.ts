import { ConfigError } from "../shared/errors";
import { ENV } from "./environment";
import type { EventAttributes } from "./event";

/** One consumer's subscription, as written in configuration. */
export interface RouteConfig {
  /** Consumer name (letters, digits, `-` and `_`). */
  name: string;
  queueUrl: string;
  /** FIFO queue: messages get a group (repository or channel) and a deduplication id. */
  fifo?: boolean;
  /** Event type patterns; `*` matches any run of characters. Empty or absent: every type. */
  types?: string[];
  /** Source patterns, same syntax. Empty or absent: every source. */
  sources?: string[];
}

export interface Route extends RouteConfig {
  matches(attributes: Pick<EventAttributes, "type" | "source">): boolean;
}

/** A consumer's name: route, queue and function suffix, idempotency scope. */
export const CONSUMER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** {@link CONSUMER_NAME_PATTERN} in words, for error messages. */
export const CONSUMER_NAME_RULE = "name must be 1-64 letters, digits, '-' or '_'";

/**
 * Compiles the routing table once, at cold start.
 *
 * @example
 * const [route] = compileRoutes([{ name: "prs", queueUrl, types: ["com.github.pull_request.*"] }]);
 * route.matches({ type: "com.github.pull_request.opened", source: "https://github.com/o/r" }) // true
 */
export function compileRoutes(configs: readonly RouteConfig[]): Route[] {
  const seen = new Set<string>();
  return configs.map((config, index) => {
    const where = `${ENV.gatewayRoutes}[${index}]`;
    if (!config || typeof config.name !== "string" || !CONSUMER_NAME_PATTERN.test(config.name)) {
      throw new ConfigError(where, CONSUMER_NAME_RULE);
    }
    if (seen.has(config.name)) throw new ConfigError(where, `duplicate route name ${config.name}`);
    seen.add(config.name);
    if (typeof config.queueUrl !== "string" || config.queueUrl.length === 0) {
      throw new ConfigError(where, "queueUrl is required");
    }
    const type = patternSet(config.types, `${where}.types`);
    const source = patternSet(config.sources, `${where}.sources`);
    return { ...config, matches: (attributes) => type(attributes.type) && source(attributes.source) };
  });
}

function patternSet(patterns: readonly string[] | undefined, where: string): (value: string) => boolean {
  if (patterns === undefined || patterns.length === 0) return () => true;
  if (!Array.isArray(patterns) || patterns.some((p) => typeof p !== "string" || p.length === 0)) {
    throw new ConfigError(where, "must be an array of non-empty strings");
  }
  if (patterns.includes("*")) return () => true;
  const regex = new RegExp(`^(?:${patterns.map(globToRegex).join("|")})$`);
  return (value) => regex.test(value);
}

function globToRegex(glob: string): string {
  return glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
}
