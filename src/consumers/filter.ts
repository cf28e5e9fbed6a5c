import type { EventAttributes } from "../contract/event";
import { compileRoutes, type Route } from "../contract/routing";
import { ConfigError } from "../shared/errors";
import type { ConsumerFilter } from "./types";

/**
 * Compiles a consumer filter with the edge's own matcher, so a consumer and its route can never
 * disagree about what `com.github.*` means.
 *
 * @example
 * const matches = compileFilter("github", { types: ["com.github.*"] });
 * matches({ type: "com.github.push", source: "https://github.com/o/r" }) // true
 */
export function compileFilter(
  name: string,
  filter: ConsumerFilter,
): (attributes: Pick<EventAttributes, "type" | "source">) => boolean {
  let route: Route | undefined;
  try {
    // The queue URL is irrelevant to matching; compileRoutes only checks that it is present.
    [route] = compileRoutes([{ name, queueUrl: "consumer-filter", ...filter }]);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`consumer ${name}`, error.message);
    throw error;
  }
  if (!route) throw new ConfigError(`consumer ${name}`, "filter did not compile");
  const compiled = route;
  return (attributes) => compiled.matches(attributes);
}
