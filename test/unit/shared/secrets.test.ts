import { SecretsUnavailableError } from "../../../src/shared/errors";
import { cachedSecrets, parseSecretList, parseSecretValue } from "../../../src/shared/secrets";

test.each([
  ["one", ["one"]],
  ["new, old", ["new", "old"]],
  [" a ,, b ", ["a", "b"]],
  ["", []],
])("parseSecretList(%j)", (value, expected) => {
  expect(parseSecretList(value)).toEqual(expected);
});

test.each([
  ["plain,with,commas", ["plain,with,commas"]],
  ['["new","old"]', ["new", "old"]],
  ['{"current":"b","previous":"a"}', ["b", "a"]],
  ['{"current":"b"}', ["b"]],
  ["", []],
  ["{not json", ["{not json"]],
])("parseSecretValue(%j)", (value, expected) => {
  expect(parseSecretValue(value)).toEqual(expected);
});

test("a loaded secret is cached, refreshed in the background after its TTL, and kept if the refresh fails", async () => {
  let clock = 0;
  const values = [["v1"], ["v2"]];
  let calls = 0;
  let fail = false;
  const get = cachedSecrets({
    ttlMs: 1000,
    now: () => clock,
    load: async () => {
      calls++;
      if (fail) throw new Error("unreachable");
      return values[Math.min(calls - 1, 1)]!;
    },
  });
  expect(await get()).toEqual(["v1"]);
  expect(await get()).toEqual(["v1"]);
  expect(calls).toBe(1);
  clock = 2000;
  expect(await get()).toEqual(["v1"]); // answered from cache while the refresh runs
  await new Promise((resolve) => setImmediate(resolve));
  expect(await get()).toEqual(["v2"]);
  expect(calls).toBe(2);
  fail = true;
  clock = 5000;
  expect(await get()).toEqual(["v2"]);
  expect(calls).toBe(3); // the refresh was tried, and failed
  await new Promise((resolve) => setImmediate(resolve));
  expect(await get()).toEqual(["v2"]);
  expect(calls).toBe(4); // still stale: the next call tries again
});

test("a first load that fails is a SecretsUnavailableError (503), and the next call tries again", async () => {
  let calls = 0;
  const get = cachedSecrets({
    ttlMs: 1000,
    load: async () => {
      calls++;
      if (calls === 1) throw new Error("unreachable");
      return ["s"];
    },
  });
  await expect(get()).rejects.toBeInstanceOf(SecretsUnavailableError);
  expect(await get()).toEqual(["s"]);
});

test("refreshIfStale re-reads only a list older than its TTL, and shares a re-read already running", async () => {
  let clock = 0;
  let calls = 0;
  const get = cachedSecrets({
    ttlMs: 1000,
    now: () => clock,
    load: async () => {
      calls++;
      return [`v${calls}`];
    },
  });
  expect(get.refreshIfStale?.()).toBeUndefined(); // nothing cached yet: the first call loads
  expect(await get()).toEqual(["v1"]);
  expect(get.refreshIfStale?.()).toBeUndefined(); // fresh: a bad signature costs no read
  expect(calls).toBe(1);
  clock = 1500;
  expect(await get()).toEqual(["v1"]); // stale: answered from cache, a re-read starts
  expect(await get.refreshIfStale?.()).toEqual(["v2"]); // the running re-read, not a second one
  expect(calls).toBe(2);
  expect(get.refreshIfStale?.()).toBeUndefined();
  expect(cachedSecrets({ values: ["fixed"] }).refreshIfStale).toBeUndefined();
});
