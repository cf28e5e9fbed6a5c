import { archiveConsumer } from "./shipped/archive";
import type { ShippedConsumer, ShippedDeps } from "./shipped/deps";
import { type GitHubListeners, githubConsumer } from "./shipped/github";
import { notifierConsumer } from "./shipped/notifier";
import { type SlackListeners, slackConsumer } from "./shipped/slack";

export interface ShippedConsumersOptions extends ShippedDeps {
  /** Default: `listeners/github.ts`. */
  githubListeners?: GitHubListeners;
  /** Default: `listeners/slack.ts`. */
  slackListeners?: SlackListeners;
}

/**
 * The four consumers the project ships, for the local runtime to run in one process (each
 * Lambda handler imports only its own, to keep bundles small). A consumer whose configuration is
 * incomplete lists what it lacks in `missing`; its `createHandler` throws.
 *
 * @example
 * for (const consumer of shippedConsumers({ config, ddb, s3 })) {
 *   if (consumer.missing.length === 0) handlers.set(consumer.name, consumer.createHandler());
 * }
 */
export function shippedConsumers(options: ShippedConsumersOptions): ShippedConsumer[] {
  return [
    archiveConsumer(options),
    githubConsumer(options, options.githubListeners),
    slackConsumer(options, options.slackListeners),
    notifierConsumer(options),
  ];
}
