/**
 * The event types the GitHub-to-Slack notifier subscribes to (its route in the stack, its filter
 * in the consumer); the payload then decides (merged, failure).
 */
export const NOTIFIED_TYPES: string[] = [
  "com.github.pull_request.opened",
  "com.github.pull_request.closed",
  "com.github.issues.opened",
  "com.github.release.published",
  "com.github.workflow_run.completed",
];
