import type { Logger } from "@aws-lambda-powertools/logger";
import { Webhooks } from "@octokit/webhooks";
import { registerGitHubListeners } from "../../../listeners/github";
import { createConsumerHandler } from "../consumer-handler";
import { createGitHubConsumer } from "../github";
import { defaultObservability } from "../observability";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";

export type GitHubListeners = (webhooks: Webhooks, logger: Logger) => void;

/**
 * GitHub listeners, shipped: `listeners/github.ts` (or `register`) on an `@octokit/webhooks` instance.
 *
 * @example
 * export const handler = githubConsumer({ config, ddb, s3 }).createHandler();
 */
export function githubConsumer(
  deps: ShippedDeps,
  register: GitHubListeners = registerGitHubListeners,
  name = "github",
): ShippedConsumer {
  return {
    name,
    filter: { types: ["com.github.*"] },
    missing: [],
    createHandler: () => {
      // Verification happened at the edge; the constructor insists on a secret all the same.
      const webhooks = new Webhooks({ secret: "verified-at-the-edge" });
      const logger = defaultObservability(deps).logger.createChild({
        persistentKeys: { listeners: "github" },
      });
      register(webhooks, logger);
      return createConsumerHandler(createGitHubConsumer(webhooks, name), handlerOptions(deps));
    },
  };
}
