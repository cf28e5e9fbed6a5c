import { loadScheduledRedeliveryConfig } from "../../../src/redelivery/scheduled";

test("reads a repository hook with defaults", () => {
  expect(
    loadScheduledRedeliveryConfig({
      REDELIVERY_TABLE: "t",
      REDELIVERY_REPO: "octo/hello",
      REDELIVERY_HOOK_ID: "7",
      GITHUB_TOKEN_SECRET_ID: "webhook-gateway/dev/github-token",
    }),
  ).toEqual({
    table: "t",
    target: { kind: "repo", owner: "octo", repo: "hello", hookId: 7 },
    lookbackMs: 3_600_000,
    maxAttempts: 3,
    tokenSecretId: "webhook-gateway/dev/github-token",
    token: undefined,
    apiUrl: undefined,
  });
});

test("every problem names its variable", () => {
  expect(() => loadScheduledRedeliveryConfig({})).toThrow("REDELIVERY_TABLE: is required");
  expect(() => loadScheduledRedeliveryConfig({ REDELIVERY_TABLE: "t", REDELIVERY_APP: "true" })).toThrow(
    "GITHUB_TOKEN_SECRET_ID: set it or GITHUB_TOKEN",
  );
  expect(() =>
    loadScheduledRedeliveryConfig({ REDELIVERY_TABLE: "t", REDELIVERY_ORG: "o", GITHUB_TOKEN: "x" }),
  ).toThrow("REDELIVERY_HOOK_ID: is required");
  expect(() =>
    loadScheduledRedeliveryConfig({
      REDELIVERY_TABLE: "t",
      REDELIVERY_ORG: "o",
      REDELIVERY_APP: "true",
      GITHUB_TOKEN: "x",
    }),
  ).toThrow("REDELIVERY_REPO: set exactly one of");
});
