import { idOf, obj, str } from "../json";

type SubjectOf = (payload: Record<string, unknown>) => string | undefined;

const numbered =
  (prefix: string, key: string, field = "number"): SubjectOf =>
  (payload) => {
    const value = idOf(obj(payload, key), field);
    return value === undefined ? undefined : `${prefix}/${value}`;
  };

const pullRequest = numbered("pull_request", "pull_request");

const ref: SubjectOf = (payload) => {
  const name = str(payload, "ref");
  if (!name) return undefined;
  if (name.startsWith("refs/")) return name;
  const refType = str(payload, "ref_type");
  if (refType === "branch") return `refs/heads/${name}`;
  if (refType === "tag") return `refs/tags/${name}`;
  return name;
};

const issue: SubjectOf = (payload) => {
  const target = obj(payload, "issue");
  const number = idOf(target, "number");
  if (number === undefined) return undefined;
  // Comments on pull requests arrive as issue_comment; name the pull request then.
  return obj(target, "pull_request") ? `pull_request/${number}` : `issue/${number}`;
};

/** The obvious subject of each event, where its payload has one. */
const SUBJECTS = new Map<string, SubjectOf>(
  Object.entries({
    pull_request: pullRequest,
    pull_request_review: pullRequest,
    pull_request_review_comment: pullRequest,
    pull_request_review_thread: pullRequest,
    issues: issue,
    issue_comment: issue,
    push: ref,
    create: ref,
    delete: ref,
    release: (payload) => {
      const tag = str(obj(payload, "release"), "tag_name");
      return tag === undefined ? undefined : `release/${tag}`;
    },
    workflow_run: numbered("workflow_run", "workflow_run", "id"),
    workflow_job: numbered("workflow_job", "workflow_job", "id"),
    check_suite: numbered("check_suite", "check_suite", "id"),
    check_run: numbered("check_run", "check_run", "id"),
    discussion: numbered("discussion", "discussion"),
    discussion_comment: numbered("discussion", "discussion"),
    deployment: numbered("deployment", "deployment", "id"),
    deployment_status: numbered("deployment", "deployment", "id"),
    milestone: numbered("milestone", "milestone"),
    commit_comment: (payload) => {
      const sha = str(obj(payload, "comment"), "commit_id");
      return sha === undefined ? undefined : `commit/${sha}`;
    },
    security_advisory: (payload) => {
      const ghsa = str(obj(payload, "security_advisory"), "ghsa_id");
      return ghsa === undefined ? undefined : `advisory/${ghsa}`;
    },
    status: (payload) => {
      const sha = str(payload, "sha");
      return sha === undefined ? undefined : `commit/${sha}`;
    },
  }),
);

/**
 * The CloudEvents `subject` for a GitHub event, or undefined when there is no obvious one.
 *
 * @example
 * githubSubject("pull_request", { pull_request: { number: 42 } }) // "pull_request/42"
 */
export function githubSubject(name: string, payload: Record<string, unknown>): string | undefined {
  // A Map, not an object: event names such as "constructor" must not reach Object.prototype.
  return SUBJECTS.get(name)?.(payload);
}
