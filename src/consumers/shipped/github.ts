import type { Logger } from "@aws-lambda-powertools/logger";
import { Webhooks } from "@octokit/webhooks";
import { createConsumerHandler } from "../consumer-handler";
import { createGitHubConsumer, listenedGitHubTypes } from "../github";
import { defaultObservability } from "../observability";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";

/** Registers the user's GitHub listeners (`listeners/github.ts`) on an `@octokit/webhooks` instance. */
export type GitHubListeners = (webhooks: Webhooks, logger: Logger) => void;

/**
 * The shipped GitHub consumer: the listeners it is given, on an `@octokit/webhooks` instance fed
 * from the queue (the framework part is {@link createGitHubConsumer}). The caller (a Lambda entry
 * point, the local runtime) passes the listeners, so the core never imports the user's code.
 *
 * @example
 * // handlers/consumers/*.ts, which may import the user's listeners:
 * export const handler = shippedGitHubConsumer(deps, registerGitHubListeners).createHandler();
 */
export function shippedGitHubConsumer(
  deps: ShippedDeps,
  listeners: GitHubListeners,
  name = "github",
): ShippedConsumer {
  // The events its listeners handle: the types the stack routes to its queue. Anything else that
  // reaches it (a replay, a wider route) is acknowledged without an idempotency record.
  const filter = { types: listenedGitHubTypes(listeners) };
  return {
    name,
    filter,
    missing: [],
    createHandler: () => {
      // Verification happened at the edge; the constructor insists on a secret all the same.
      const webhooks = new Webhooks({ secret: "verified-at-the-edge" });
      const logger = defaultObservability(deps).logger.createChild({
        persistentKeys: { listeners: "github" },
      });
      listeners(webhooks, logger);
      const consumer = { ...createGitHubConsumer(webhooks, name), filter };
      return createConsumerHandler(consumer, handlerOptions(deps));
    },
  };
}
