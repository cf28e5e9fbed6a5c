import { compileFilter } from "../../../src/consumers/filter";
import { ConfigError } from "../../../src/shared/errors";

const event = (type: string, source = "https://github.com/octo/repo") => ({ type, source });

test("an empty filter matches every event", () => {
  const matches = compileFilter("archive", {});

  expect(matches(event("com.github.push"))).toBe(true);
  expect(matches(event("com.slack.command", "urn:slack:team:T1"))).toBe(true);
});

test("type patterns use the edge's wildcard semantics", () => {
  const matches = compileFilter("github", { types: ["com.github.*"] });

  expect(matches(event("com.github.pull_request.opened"))).toBe(true);
  expect(matches(event("com.slack.event.app_mention"))).toBe(false);
  // `.` is literal, not a regex wildcard.
  expect(matches(event("comXgithubXpush"))).toBe(false);
});

test("types and sources must both match", () => {
  const matches = compileFilter("octo", {
    types: ["com.github.issues.*"],
    sources: ["https://github.com/octo/*"],
  });

  expect(matches(event("com.github.issues.opened", "https://github.com/octo/repo"))).toBe(true);
  expect(matches(event("com.github.issues.opened", "https://github.com/other/repo"))).toBe(false);
  expect(matches(event("com.github.push", "https://github.com/octo/repo"))).toBe(false);
});

test("an invalid filter is a configuration error naming the consumer", () => {
  expect(() => compileFilter("broken", { types: [""] })).toThrow(ConfigError);
  expect(() => compileFilter("broken", { types: [""] })).toThrow(/consumer broken/);
});
