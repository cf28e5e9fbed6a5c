import type { types } from "@slack/bolt";
import type { GatewayEvent } from "../contract/event";
import { NOTIFIER_EVENT_TYPES } from "../contract/notifier";

/** A Slack message: the `text` fallback (notifications, screen readers) and Block Kit blocks. */
export interface Notification {
  text: string;
  blocks: types.KnownBlock[];
}

export { NOTIFIED_TYPES } from "../contract/notifier";

const TYPES = NOTIFIER_EVENT_TYPES;

type Json = Record<string, unknown>;

/**
 * The Slack message for a GitHub event worth announcing, or `undefined`: pull requests opened
 * or merged, issues opened, releases published, workflow runs that failed.
 *
 * @example
 * notificationFor(pullRequestOpened)?.text
 * // "Pull request #42 opened in octo/repo by @mona: Fix the flux capacitor <https://github.com/octo/repo/pull/42>"
 */
export function notificationFor(event: GatewayEvent): Notification | undefined {
  const data = (event.data ?? {}) as Json;
  const repo = str(obj(data, "repository"), "full_name") ?? event.source;
  switch (event.type) {
    case TYPES.pullRequestOpened:
    case TYPES.pullRequestClosed: {
      const pr = obj(data, "pull_request");
      const merged = pr.merged === true;
      if (event.type === TYPES.pullRequestClosed && !merged) return undefined;
      const verb = merged ? "merged" : "opened";
      const who = str(obj(pr, merged ? "merged_by" : "user"), "login") ?? str(obj(data, "sender"), "login");
      return item(
        `Pull request #${num(pr, "number")} ${verb}`,
        repo,
        who,
        str(pr, "title"),
        str(pr, "html_url"),
      );
    }
    case TYPES.issueOpened: {
      const issue = obj(data, "issue");
      return item(
        `Issue #${num(issue, "number")} opened`,
        repo,
        str(obj(issue, "user"), "login"),
        str(issue, "title"),
        str(issue, "html_url"),
      );
    }
    case TYPES.releasePublished: {
      const release = obj(data, "release");
      const tag = str(release, "tag_name") ?? "";
      return item(
        `Release ${tag} published`,
        repo,
        str(obj(release, "author"), "login"),
        str(release, "name"),
        str(release, "html_url"),
      );
    }
    case TYPES.workflowRunCompleted: {
      const run = obj(data, "workflow_run");
      if (run.conclusion !== "failure") return undefined;
      const branch = str(run, "head_branch");
      const title = `Workflow ${str(run, "name") ?? "run"} failed${branch ? ` on ${branch}` : ""}`;
      return item(
        title,
        repo,
        str(obj(run, "actor"), "login"),
        str(run, "display_title"),
        str(run, "html_url"),
      );
    }
    default:
      return undefined;
  }
}

function item(
  headline: string,
  repo: string,
  who: string | undefined,
  title: string | undefined,
  url: string | undefined,
): Notification {
  const by = who ? ` by @${who}` : "";
  const titled = title ? `: ${title}` : "";
  const link = url ? ` <${url}>` : "";
  const label = escapeMrkdwn(title ?? headline);
  return {
    text: escapeMrkdwn(`${headline} in ${repo}${by}${titled}`) + link,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*${escapeMrkdwn(headline)}* in ${escapeMrkdwn(repo)}${escapeMrkdwn(by)}\n${url ? `<${url}|${label}>` : label}`,
        },
      },
    ],
  };
}

/** Slack's three control characters in mrkdwn. https://api.slack.com/reference/surfaces/formatting#escaping */
function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function obj(value: Json, key: string): Json {
  const child = value[key];
  return child !== null && typeof child === "object" && !Array.isArray(child) ? (child as Json) : {};
}

function str(value: Json, key: string): string | undefined {
  const child = value[key];
  return typeof child === "string" && child.length > 0 ? child : undefined;
}

function num(value: Json, key: string): string {
  const child = value[key];
  return typeof child === "number" ? String(child) : "?";
}
