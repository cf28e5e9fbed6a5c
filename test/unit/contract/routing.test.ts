import { compileRoutes } from "../../../src/contract/routing";
import { ConfigError } from "../../../src/shared/errors";

const match = (types: string[] | undefined, sources: string[] | undefined, type: string, source: string) =>
  compileRoutes([{ name: "r", queueUrl: "q", types, sources }])[0]!.matches({ type, source });

test.each([
  [["com.github.*"], "com.github.push", true],
  [["com.github.pull_request.*"], "com.github.pull_request.opened", true],
  [["com.github.pull_request.*"], "com.github.pull_request_review.submitted", false],
  [["com.github.pull_request"], "com.github.pull_request.opened", false],
  [["com.*.command"], "com.slack.command", true],
  [["com.github.issues.opened", "com.slack.*"], "com.slack.event.app_mention", true],
  [["*"], "anything", true],
  [undefined, "anything", true],
  [[], "anything", true],
])("type patterns %j against %s → %s", (types, type, expected) => {
  expect(match(types, undefined, type, "s")).toBe(expected);
});

test("dots and other regex characters in patterns are literal", () => {
  expect(match(["com.github.push"], undefined, "comXgithubXpush", "s")).toBe(false);
  expect(match(undefined, ["https://github.com/octo/(repo)"], "t", "https://github.com/octo/(repo)")).toBe(
    true,
  );
});

test("source patterns filter too", () => {
  expect(match(undefined, ["https://github.com/octo/*"], "t", "https://github.com/octo/repo")).toBe(true);
  expect(match(undefined, ["https://github.com/octo/*"], "t", "https://github.com/other/repo")).toBe(false);
});

test.each([
  [[{ name: "", queueUrl: "q" }], "name"],
  [[{ name: "a b", queueUrl: "q" }], "name"],
  [[{ name: "a", queueUrl: "" }], "queueUrl"],
  [
    [
      { name: "a", queueUrl: "q" },
      { name: "a", queueUrl: "q2" },
    ],
    "duplicate",
  ],
  [[{ name: "a", queueUrl: "q", types: [""] }], "types"],
])("bad routes fail at start with the place named: %j", (routes, word) => {
  expect(() => compileRoutes(routes)).toThrow(ConfigError);
  expect(() => compileRoutes(routes)).toThrow(word);
});
