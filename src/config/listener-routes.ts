import type { ConsumerDeployment } from "./gateway-config";

/** The shipped GitHub consumer's entry point, whose listeners decide its route. */
export const GITHUB_CONSUMER_ENTRY = "handlers/consumers/github.ts";
/** The GitHub consumer's route when nothing narrower is known. */
const DEFAULT_GITHUB_TYPES = ["com.github.*"];

/**
 * Routes the shipped GitHub consumer by the event names its listeners register (found with
 * `listenedGitHubTypes` from src/consumers/github.ts), so that the edge sends its queue only the
 * events some listener handles: each send costs the edge CPU, and each message an SQS request,
 * an invocation and two idempotency writes. A consumer whose `types` were set in the
 * configuration keeps them; so does every other consumer.
 *
 * @example
 * routeGitHubByListeners(config.consumers, ["com.github.push", "com.github.push.*"])
 */
export function routeGitHubByListeners(
  consumers: readonly ConsumerDeployment[],
  listenedTypes: readonly string[],
): ConsumerDeployment[] {
  return consumers.map((consumer) =>
    consumer.entry === GITHUB_CONSUMER_ENTRY && sameTypes(consumer.types, DEFAULT_GITHUB_TYPES)
      ? { ...consumer, types: [...listenedTypes] }
      : consumer,
  );
}

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((type, i) => type === b[i]);
}
