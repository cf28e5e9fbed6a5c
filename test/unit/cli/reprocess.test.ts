import { freshIds } from "../../../src/cli/ops/reprocess";
import { createGateway } from "../../../src/edge/gateway";
import { stableUuid } from "../../../src/fixtures/examples";
import { loadFixture } from "../../../src/fixtures/load";
import { signFixture } from "../../../src/fixtures/sign";

const secrets = { github: "s-github", slack: "s-slack" };

/** The event id the real edge gives a fixture. */
async function eventId(fixture: ReturnType<typeof loadFixture>): Promise<string | undefined> {
  const ids: string[] = [];
  const gateway = createGateway({
    secrets: { github: () => [secrets.github], slack: () => [secrets.slack] },
    publish: async (event) => {
      ids.push(event.attributes.id);
      return { queued: ["q"], claimChecked: false };
    },
  });
  await gateway({ ...signFixture(fixture, secrets, Date.now()) });
  return ids[0];
}

test("--fresh-ids gives a GitHub delivery a guid of the run: new to consumers, the same within the run", async () => {
  const fixture = loadFixture("fixtures/github/pull_request.opened.json");

  const fresh = freshIds(fixture, "rrun1");

  expect(fresh.request.headers["x-github-delivery"]).toBe(
    stableUuid("rrun1:da58b4cf-9155-11ef-b9ec-245f0d26b113"),
  );
  expect(freshIds(fixture, "rrun1")).toEqual(fresh);
  expect(fresh.request.body).toBe(fixture.request.body);
  expect(fresh.expect.event).toEqual({ ...fixture.expect.event, id: undefined });
  expect(await eventId(fresh)).toBe(`github:${stableUuid("rrun1:da58b4cf-9155-11ef-b9ec-245f0d26b113")}`);
});

test.each([
  ["fixtures/slack/event_callback.app_mention.json", "slack:Ev081Y2T5QABrrun1"],
  ["fixtures/slack/command.deploy.json", undefined],
  ["fixtures/slack/interaction.block_actions.json", undefined],
])("--fresh-ids gives %s a new event id", async (file, expected) => {
  const fixture = loadFixture(file);
  const before = await eventId(fixture);

  const after = await eventId(freshIds(fixture, "rrun1"));

  expect(after).toBeDefined();
  expect(after).not.toBe(before);
  if (expected) expect(after).toBe(expected);
  expect(await eventId(freshIds(fixture, "rrun1"))).toBe(after);
});
