import { shippedArchiveConsumer } from "./shipped/archive";
import type { ShippedConsumer, ShippedDeps } from "./shipped/deps";
import { type GitHubListeners, shippedGitHubConsumer } from "./shipped/github";
import { shippedNotifierConsumer } from "./shipped/notifier";
import { type SlackListeners, shippedSlackConsumer } from "./shipped/slack";

export interface ShippedConsumersOptions extends ShippedDeps {
  /** The user's listeners (`listeners/github.ts`, `listeners/slack.ts`), passed in by the caller. */
  listeners: { github: GitHubListeners; slack: SlackListeners };
}

/**
 * The four consumers the project ships, for the local runtime to run in one process (each
 * Lambda handler imports only its own, to keep bundles small). A consumer whose configuration is
 * incomplete lists what it lacks in `missing`; its `createHandler` throws.
 *
 * @example
 * const listeners = { github: registerGitHubListeners, slack: registerSlackListeners };
 * for (const consumer of shippedConsumers({ config, ddb, s3, listeners })) {
 *   if (consumer.missing.length === 0) handlers.set(consumer.name, consumer.createHandler());
 * }
 */
export function shippedConsumers(options: ShippedConsumersOptions): ShippedConsumer[] {
  return [
    shippedArchiveConsumer(options),
    shippedGitHubConsumer(options, options.listeners.github),
    shippedSlackConsumer(options, options.listeners.slack),
    shippedNotifierConsumer(options),
  ];
}
