import { InvalidEventError } from "../../../src/consumers/errors";
import { githubEventName, toWebhookEvent } from "../../../src/consumers/github";
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
