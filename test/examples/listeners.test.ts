/**
 * Testing your listeners: a complete example, ready to copy. Each test signs a recorded delivery,
 * sends it through the gateway's real edge, and runs your listeners in process against fakes of
 * the GitHub and Slack APIs that record every call. Nothing else is started.
 */
import { createTestKit, loadFixture, type TestKit } from "webhook-gateway/testing";
import { registerGitHubListeners } from "../../listeners/github";
import { registerSlackListeners } from "../../listeners/slack";

let kit: TestKit;
const logged: { message: string; attributes: Record<string, unknown> }[] = [];

beforeAll(async () => {
  kit = await createTestKit({
    // Your listeners, with a logger you can assert on (the default is the consumer's logger).
    github: (webhooks) =>
      registerGitHubListeners(webhooks, {
        info: (message, ...attributes) =>
          logged.push({ message, attributes: Object.assign({}, ...attributes) }),
      }),
    slack: registerSlackListeners,
  });
});

beforeEach(() => {
  kit.reset();
  logged.length = 0;
});

afterAll(async () => {
  await kit.stop();
});

test("an app mention is answered in its thread", async () => {
  const delivery = await kit.deliver("fixtures/slack/event_callback.app_mention.json");

  expect(delivery.status).toBe(200);
  expect(delivery.event?.type).toBe("com.slack.event.app_mention");
  expect(delivery.consumers).toEqual([{ consumer: "slack", status: "processed" }]);
  expect(delivery.slack).toEqual([
    {
      method: "chat.postMessage",
      token: "xoxb-test-kit-token",
      args: expect.objectContaining({
        channel: "C0LAN2Q65",
        thread_ts: "1732371205.000200",
        text: "Hi <@U061F7AUR>, I saw your mention.",
      }),
    },
  ]);
});

test("/echo answers the user who typed it, and only them", async () => {
  // A recorded slash command, turned into /echo: fixtures are plain objects you can adapt.
  const recorded = loadFixture("fixtures/slack/command.deploy.json");
  const echo = {
    ...recorded,
    request: {
      ...recorded.request,
      body: recorded.request.body.replace("command=%2Fdeploy", "command=%2Fecho"),
    },
  };

  const delivery = await kit.deliver(echo);

  expect(delivery.failures).toEqual([]);
  expect(delivery.slackResponses).toEqual([
    {
      id: expect.stringMatching(/^commands\//),
      body: { response_type: "ephemeral", text: expect.stringContaining("api-gateway@v2.3") },
    },
  ]);
});

test("an opened pull request is logged by repository and number, without its title", async () => {
  const delivery = await kit.deliver("fixtures/github/pull_request.opened.json");

  expect(delivery.status).toBe(202);
  expect(delivery.consumers).toEqual([{ consumer: "github", status: "processed" }]);
  expect(logged).toEqual([
    {
      message: "Pull request opened",
      attributes: {
        delivery: "da58b4cf-9155-11ef-b9ec-245f0d26b113",
        repository: "Codertocat/Hello-World",
        number: 2,
      },
    },
  ]);
  expect(delivery.github).toEqual([]);
});

test("a redelivery runs no listener twice", async () => {
  await kit.deliver("fixtures/github/pull_request.opened.json");
  const again = await kit.deliver("fixtures/github/pull_request.opened.json");

  expect(again.status).toBe(202);
  expect(again.consumers).toEqual([{ consumer: "github", status: "duplicate" }]);
  expect(logged).toHaveLength(1);
});

test("a broken listener is reported with its error and the line that threw", async () => {
  const broken = await createTestKit({
    github: (webhooks) => {
      webhooks.on("pull_request.opened", () => {
        throw new TypeError("cannot read the reviewers");
      });
    },
  });
  try {
    const delivery = await broken.deliver("fixtures/github/pull_request.opened.json");

    // The edge accepted the delivery (GitHub sees 202); the listener failed afterwards.
    expect(delivery.status).toBe(202);
    expect(delivery.failures).toHaveLength(1);
    expect(delivery.failures[0]).toMatchObject({
      consumer: "github",
      status: "failed",
      failure: { type: "TypeError", message: "cannot read the reviewers" },
    });
    expect(delivery.failures[0]?.failure?.origin).toMatch(/test\/examples\/listeners\.test\.ts:\d+:\d+$/);
  } finally {
    await broken.stop();
  }
});
