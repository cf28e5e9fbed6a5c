import { notificationFor } from "../../../src/consumers/notifier-messages";
import { githubEvent, githubExample } from "../../helpers/factories";

const PR_URL = "https://github.com/Codertocat/Hello-World/pull/2";
const PR_TITLE = "Update the README with new information.";

test("a pull request opened", () => {
  const event = githubEvent({ name: "pull_request", payload: githubExample("pull_request", "opened") });

  expect(notificationFor(event)).toEqual({
    text: `Pull request #2 opened in Codertocat/Hello-World by @Codertocat: ${PR_TITLE} <${PR_URL}>`,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*Pull request #2 opened* in Codertocat/Hello-World by @Codertocat\n<${PR_URL}|${PR_TITLE}>`,
        },
      },
    ],
  });
});

test("a pull request merged names who merged it", () => {
  const payload = githubExample("pull_request", "closed", (p) =>
    Object.assign(p.pull_request as object, { merged: true, merged_by: { login: "octocat" } }),
  );

  expect(notificationFor(githubEvent({ name: "pull_request", payload }))?.text).toBe(
    `Pull request #2 merged in Codertocat/Hello-World by @octocat: ${PR_TITLE} <${PR_URL}>`,
  );
});

test("a pull request closed without merging is not announced", () => {
  const payload = githubExample("pull_request", "closed");

  expect(notificationFor(githubEvent({ name: "pull_request", payload }))).toBeUndefined();
});

test("an issue opened", () => {
  const event = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });

  expect(notificationFor(event)?.text).toBe(
    "Issue #1 opened in Codertocat/Hello-World by @Codertocat: Spelling error in the README file <https://github.com/Codertocat/Hello-World/issues/1>",
  );
});

test("a release published, without a name, links the tag", () => {
  const event = githubEvent({ name: "release", payload: githubExample("release", "published") });
  const url = "https://github.com/Codertocat/Hello-World/releases/tag/0.0.1";

  expect(notificationFor(event)).toEqual({
    text: `Release 0.0.1 published in Codertocat/Hello-World by @Codertocat <${url}>`,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*Release 0.0.1 published* in Codertocat/Hello-World by @Codertocat\n<${url}|Release 0.0.1 published>`,
        },
      },
    ],
  });
});

test("a failed workflow run is announced; a successful one is not", () => {
  const failed = githubExample("workflow_run", "completed", (p) =>
    Object.assign(p.workflow_run as object, { conclusion: "failure" }),
  );
  const succeeded = githubExample("workflow_run", "completed", (p) =>
    Object.assign(p.workflow_run as object, { conclusion: "success" }),
  );

  expect(notificationFor(githubEvent({ name: "workflow_run", payload: failed }))?.text).toBe(
    "Workflow Manually triggered workflow failed on main in Codertocat/Hello-World <https://github.com/octo-org/octo-repo/actions/runs/1589141559>",
  );
  expect(notificationFor(githubEvent({ name: "workflow_run", payload: succeeded }))).toBeUndefined();
});

test("other events are ignored", () => {
  expect(notificationFor(githubEvent({ name: "push", payload: githubExample("push") }))).toBeUndefined();
  expect(
    notificationFor(githubEvent({ name: "issues", payload: githubExample("issues", "edited") })),
  ).toBeUndefined();
});

test("titles are escaped for Slack's mrkdwn", () => {
  const payload = githubExample("issues", "opened", (p) =>
    Object.assign(p.issue as object, { title: "<!channel> & <https://evil.example|click>" }),
  );
  const notification = notificationFor(githubEvent({ name: "issues", payload }));

  expect(notification?.text).toContain(
    ": &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; <https://",
  );
  expect(JSON.stringify(notification?.blocks)).not.toContain("<!channel>");
});
