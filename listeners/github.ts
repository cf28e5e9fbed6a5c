/**
 * Your GitHub listeners. Each `webhooks.on(...)` runs once per delivery (redeliveries and queue
 * duplicates are filtered out before they get here); a listener that throws fails the delivery,
 * which is retried and, after the queue's `maxReceiveCount`, kept in the dead-letter queue.
 *
 * Log ids and numbers, not payload content: titles, bodies and commit messages are the users' words
 * and do not belong in logs kept for weeks.
 *
 * Event names and payload types: https://github.com/octokit/webhooks.js#webhook-events
 */
import type { Webhooks } from "@octokit/webhooks";

/** Anything with `info`, e.g. the Powertools logger the consumer passes in, or `console`. */
export interface ListenerLogger {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
}

export function registerGitHubListeners(webhooks: Webhooks, logger: ListenerLogger = console): void {
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
