import { registerGitHubListeners } from "../../../listeners/github";
import { defaultConsumers } from "../../../src/config/gateway-config";
import { routeGitHubByListeners } from "../../../src/config/listener-routes";
import { InvalidEventError } from "../../../src/consumers/errors";
import { githubEventName, listenedGitHubTypes, toWebhookEvent } from "../../../src/consumers/github";
import { NOTIFIED_TYPES } from "../../../src/contract/notifier";
import { githubEvent, githubExample } from "../../helpers/factories";

test.each([
  ["com.github.pull_request.opened", "pull_request"],
  ["com.github.push", "push"],
  ["com.github.workflow_run.completed", "workflow_run"],
])("the event name in %s is %s", (type, name) => {
  expect(githubEventName(type)).toBe(name);
});

test("a type outside com.github is refused", () => {
  expect(() => githubEventName("com.slack.command")).toThrow(InvalidEventError);
});

test("the webhook event carries the delivery guid, the event name and the payload unchanged", () => {
  const payload = githubExample("pull_request", "opened");
  const event = githubEvent({
    name: "pull_request",
    payload,
    delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  });

  expect(toWebhookEvent(event)).toEqual({
    id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    name: "pull_request",
    payload,
  });
});

describe("listenedGitHubTypes", () => {
  const handle = async () => undefined;

  test("an event name covers its actions; an event.action name only itself", () => {
    expect(
      listenedGitHubTypes((webhooks) => {
        webhooks.on("push", handle);
        webhooks.on(["issues.opened", "pull_request.closed"], handle);
        webhooks.onError(() => undefined);
      }),
    ).toEqual([
      "com.github.push",
      "com.github.push.*",
      "com.github.issues.opened",
      "com.github.pull_request.closed",
    ]);
  });

  test("onAny, or no listener at all, takes every GitHub event", () => {
    expect(listenedGitHubTypes((webhooks) => webhooks.onAny(handle))).toEqual(["com.github.*"]);
    expect(listenedGitHubTypes(() => undefined)).toEqual(["com.github.*"]);
  });

  test("the project's listeners route exactly the events they handle", () => {
    expect(listenedGitHubTypes(registerGitHubListeners)).toEqual([
      "com.github.pull_request.opened",
      "com.github.issues.opened",
      "com.github.push",
      "com.github.push.*",
    ]);
  });
});

describe("routeGitHubByListeners", () => {
  const listened = ["com.github.push", "com.github.push.*"];

  test("narrows the shipped GitHub consumer's route and leaves the others", () => {
    const routed = routeGitHubByListeners(defaultConsumers(), listened);

    expect(routed.map((c) => [c.name, c.types])).toEqual([
      ["archive", ["*"]],
      ["github", listened],
      ["slack", ["com.slack.*"]],
      ["notifier", NOTIFIED_TYPES],
    ]);
  });

  test("keeps types set in the configuration", () => {
    const configured = defaultConsumers().map((c) =>
      c.name === "github" ? { ...c, types: ["com.github.release.*"] } : c,
    );

    expect(routeGitHubByListeners(configured, listened)[1]?.types).toEqual(["com.github.release.*"]);
  });
});
