import { parseSince } from "../../../src/cli/ops/duration";
import { withEnvSecret } from "../../../src/cli/ops/secrets";

test("withEnvSecret replaces the variable in place and keeps other lines", () => {
  expect(
    withEnvSecret("A=1\nexport GITHUB_WEBHOOK_SECRET='old'\nB=2", "GITHUB_WEBHOOK_SECRET", "new", false),
  ).toBe("A=1\nGITHUB_WEBHOOK_SECRET=new\nB=2\n");
});

test("withEnvSecret on rotation keeps only the newest old value", () => {
  expect(withEnvSecret("GITHUB_WEBHOOK_SECRET=old,older\n", "GITHUB_WEBHOOK_SECRET", "new", true)).toBe(
    "GITHUB_WEBHOOK_SECRET=new,old\n",
  );
});

test("withEnvSecret refuses values the .env list format cannot hold, and rotation from nothing", () => {
  expect(() => withEnvSecret("", "X", "a,b", false)).toThrow("must not contain commas");
  expect(() => withEnvSecret("", "X", "new", true)).toThrow(".env has no X: nothing to rotate from");
});

test("parseSince reads durations and ISO timestamps", () => {
  const now = Date.parse("2026-01-02T00:00:00Z");
  expect(parseSince("24h", now)).toBe(Date.parse("2026-01-01T00:00:00Z"));
  expect(parseSince("90m", now)).toBe(now - 90 * 60_000);
  expect(parseSince("2025-12-30T10:00:00Z", now)).toBe(Date.parse("2025-12-30T10:00:00Z"));
  expect(() => parseSince("soon", now)).toThrow('got "soon"');
});
