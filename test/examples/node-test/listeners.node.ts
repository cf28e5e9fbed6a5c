/**
 * The test kit under Node's own test runner: `node --import tsx --test test/examples/node-test/`
 * (run by test/examples/node-test.test.ts).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestKit, type TestKit } from "webhook-gateway/testing";
import { registerSlackListeners } from "../../../listeners/slack";

let kit: TestKit;

before(async () => {
  kit = await createTestKit({ slack: registerSlackListeners });
});

after(async () => {
  await kit.stop();
});

test("an app mention is answered in its thread", async () => {
  const delivery = await kit.deliver("fixtures/slack/event_callback.app_mention.json");

  assert.equal(delivery.status, 200);
  assert.deepEqual(delivery.consumers, [{ consumer: "slack", status: "processed" }]);
  assert.deepEqual(
    delivery.slack.map((call) => [call.method, call.args.thread_ts]),
    [["chat.postMessage", "1732371205.000200"]],
  );
});

test("a broken listener is reported as a failure", async () => {
  const broken = await createTestKit({
    slack: (app) => {
      app.event("app_mention", async () => {
        throw new RangeError("no such channel");
      });
    },
  });
  try {
    const delivery = await broken.deliver("fixtures/slack/event_callback.app_mention.json");
    assert.equal(delivery.failures.length, 1);
    assert.equal(delivery.failures[0]?.failure?.type, "RangeError");
    assert.match(delivery.failures[0]?.failure?.origin ?? "", /listeners\.node\.ts:\d+:\d+$/);
  } finally {
    await broken.stop();
  }
});
