/**
 * Your GitHub listeners. Each `webhooks.on(...)` runs once per delivery (redeliveries and queue
 * duplicates are filtered out before they get here); a listener that throws fails the delivery,
 * which is retried and, after the queue's `maxReceiveCount`, kept in the dead-letter queue.
 *
 * Every handler receives `{ id, name, payload, octokit }`: `octokit` (`@octokit/rest`) acts as your
 * GitHub App's installation that sent the event (`GITHUB_APP_ID` and `GITHUB_APP_PRIVATE_KEY`
 * locally, the `github-app` secret deployed), or with `GITHUB_TOKEN`. Used while neither is
 * configured, it throws a `GitHubAuthError` that says what to set.
 *
 * Log ids and numbers, not payload content: titles, bodies and commit messages are the users' words
 * and do not belong in logs kept for weeks.
 *
 * Event names and payload types: https://github.com/octokit/webhooks.js#webhook-events
 */
import type { GitHubWebhooks } from "../src/consumers/github-auth";

/** Anything with `info`, e.g. the Powertools logger the consumer passes in, or `console`. */
export interface ListenerLogger {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
}

/**
 * The shipped listeners log what arrived (ids and numbers, never titles or bodies).
 *
 * @example
 * // Label every new issue, as the App's installation:
 * webhooks.on("issues.opened", async ({ payload, octokit }) => {
 *   await octokit.rest.issues.addLabels({
 *     owner: payload.repository.owner.login,
 *     repo: payload.repository.name,
 *     issue_number: payload.issue.number,
 *     labels: ["triage"],
 *   });
 * });
 */
export function registerGitHubListeners(webhooks: GitHubWebhooks, logger: ListenerLogger = console): void {
  webhooks.on("pull_request.opened", ({ id, payload }) => {
    logger.info("Pull request opened", {
      delivery: id,
      repository: payload.repository.full_name,
      number: payload.pull_request.number,
    });
  });

  webhooks.on("issues.opened", ({ id, payload }) => {
    logger.info("Issue opened", {
      delivery: id,
      repository: payload.repository.full_name,
      number: payload.issue.number,
    });
  });

  webhooks.on("push", ({ id, payload }) => {
    logger.info("Push", {
      delivery: id,
      repository: payload.repository.full_name,
      ref: payload.ref,
      commits: payload.commits.length,
    });
  });
}
