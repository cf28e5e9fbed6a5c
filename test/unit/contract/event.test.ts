import { idempotencyId, reprocessRunId } from "../../../src/contract/event";

test("a run id is lower-case letters and digits (a CloudEvents extension value)", () => {
  expect(reprocessRunId(Date.UTC(2026, 0, 1))).toMatch(/^r[a-z0-9]{14,}$/);
});

test("a run id starts with the time, so runs sort in the order they started", () => {
  const earlier = reprocessRunId(Date.UTC(2026, 0, 1));
  const later = reprocessRunId(Date.UTC(2026, 0, 2));

  expect(earlier.slice(0, 9) < later.slice(0, 9)).toBe(true);
  expect(earlier.slice(0, 9)).toBe(`r${Date.UTC(2026, 0, 1).toString(36)}`);
});

test("a run id scopes the event's idempotency id", () => {
  const run = reprocessRunId();

  expect(idempotencyId({ id: "github:d-1", reprocess: run })).toBe(`github:d-1#reprocess:${run}`);
  expect(idempotencyId({ id: "github:d-1" })).toBe("github:d-1");
});
