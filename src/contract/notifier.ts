/** The GitHub event types the notifier announces, by name. */
export const NOTIFIER_EVENT_TYPES = {
  pullRequestOpened: "com.github.pull_request.opened",
  pullRequestClosed: "com.github.pull_request.closed",
  issueOpened: "com.github.issues.opened",
  releasePublished: "com.github.release.published",
  workflowRunCompleted: "com.github.workflow_run.completed",
} as const;

/**
 * The event types the GitHub-to-Slack notifier subscribes to (its route in the stack, its filter
 * in the consumer); the payload then decides (merged, failure).
 */
export const NOTIFIED_TYPES: string[] = Object.values(NOTIFIER_EVENT_TYPES);
