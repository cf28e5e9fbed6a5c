import { drainLine } from "../../../src/local/serve";

test("Ctrl-C says how many events it drains, for how long at most, and how to quit now", () => {
  expect(drainLine(3, 10_000)).toBe(
    "no longer accepting; draining 3 queued events, up to 10 s; Ctrl-C again to quit now",
  );
  expect(drainLine(1, 2_500)).toBe(
    "no longer accepting; draining 1 queued event, up to 3 s; Ctrl-C again to quit now",
  );
  expect(drainLine(0, 10_000)).toBe("no longer accepting; stopping…");
  expect(drainLine(5, 0)).toBe("no longer accepting; stopping…");
});
