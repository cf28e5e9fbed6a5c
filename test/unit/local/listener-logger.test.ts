import type { Octokit } from "@octokit/rest";
import { registerGitHubListeners } from "../../../listeners/github";
import { createGitHubWebhooks } from "../../../src/consumers/github-auth";
import { ListenerLogger, withListenerLoggers } from "../../../src/local/listener-logger";

test("a listener's info is one readable line with its fields", () => {
  const lines: string[] = [];
  const logger = new ListenerLogger("github", (line) => lines.push(line));

  logger.info("Push", { repository: "octo/hello", commits: 2, tags: ["a"] });
  logger.info({ message: "Issue opened", number: 7 });
  logger.debug("not shown at INFO");

  expect(lines).toEqual([
    '  · github listener: Push {repository=octo/hello commits=2 tags=["a"]}',
    "  · github listener: Issue opened {number=7}",
  ]);
});

test("LOG_LEVEL moves the listeners' level", () => {
  const lines: string[] = [];
  const quiet = new ListenerLogger("slack", (line) => lines.push(line), "warn");
  quiet.info("hidden");
  quiet.warn("shown", new Error("why"));
  new ListenerLogger("slack", (line) => lines.push(line), "DEBUG").debug("details");

  expect(lines).toEqual(["  ! slack listener: shown {error=why}", "  · slack listener: details"]);
});

test("the project's GitHub listeners log through it, in one line per delivery", async () => {
  const lines: string[] = [];
  const webhooks = createGitHubWebhooks(async () => ({}) as Octokit);
  const listeners = withListenerLoggers({ github: registerGitHubListeners, slack: () => {} }, (line) =>
    lines.push(line),
  );
  listeners.github(webhooks, undefined as never);

  await webhooks.receive({
    id: "d-1",
    name: "push",
    payload: { ref: "refs/heads/main", commits: [{}], repository: { full_name: "octo/hello" } } as never,
  });

  expect(lines).toEqual([
    "  · github listener: Push {delivery=d-1 repository=octo/hello ref=refs/heads/main commits=1}",
  ]);
});
