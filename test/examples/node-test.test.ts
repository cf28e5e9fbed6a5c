/**
 * The test kit under Node's own test runner: the example in test/examples/node-test/ runs with
 * `node --require webhook-gateway/register --test`, as a project without jest would run it.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

test("the node --test example passes, and its broken listener is reported", () => {
  const root = join(__dirname, "../..");
  const result = spawnSync(
    process.execPath,
    [
      "--require",
      "webhook-gateway/register",
      "--test",
      "--test-reporter=tap",
      "test/examples/node-test/listeners.node.ts",
    ],
    { cwd: root, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, timeout: 60_000 },
  );

  expect(result.stdout).toMatch(/^# pass 2$/m);
  expect(result.stdout).toMatch(/^# fail 0$/m);
  expect(result.stdout).toContain("ok 2 - a broken listener is reported as a failure");
  expect(result.status).toBe(0);
});
