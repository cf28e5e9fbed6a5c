import type { Logger } from "@aws-lambda-powertools/logger";
import { createConsumerHandler } from "../consumer-handler";
import { createGitHubConsumer, listenedGitHubTypes } from "../github";
import {
  configuredGitHubCredentials,
  createGitHubWebhooks,
  createOctokitFactory,
  type GitHubWebhooks,
} from "../github-auth";
import { defaultObservability } from "../observability";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";

/**
 * Registers the user's GitHub listeners (`listeners/github.ts`) on an `@octokit/webhooks`
 * instance whose handlers receive `{ id, name, payload, octokit }`. A function typed with a plain
 * `Webhooks` fits too (its handlers simply ignore `octokit`).
 */
export type GitHubListeners = (webhooks: GitHubWebhooks, logger: Logger) => void;

/**
 * The shipped GitHub consumer: the listeners it is given, on an `@octokit/webhooks` instance fed
 * from the queue (the framework part is {@link createGitHubConsumer}). The caller (a Lambda entry
 * point, the local runtime) passes the listeners, so the core never imports the user's code.
 * Each handler's `octokit` acts as the GitHub App (`GITHUB_APP_ID` and `GITHUB_APP_PRIVATE_KEY`,
 * or `GITHUB_APP_SECRET_ID`) or with `GITHUB_TOKEN`; the consumer runs without either, and an
 * `octokit` used then throws a `GitHubAuthError` saying what to configure.
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
      const webhooks = createGitHubWebhooks(
        createOctokitFactory({
          credentials: configuredGitHubCredentials(deps.config, deps.secretsManager),
          baseUrl: deps.config.githubApiUrl,
        }),
      );
      const logger = defaultObservability(deps).logger.createChild({
        persistentKeys: { listeners: "github" },
      });
      listeners(webhooks, logger);
      const consumer = { ...createGitHubConsumer(webhooks, name), filter };
      return createConsumerHandler(consumer, handlerOptions(deps));
    },
  };
}
