import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { INITIAL_POLLERS, pollerConcurrency } from "../../../src/local/consumers";
import { resolveLocalSettings } from "../../../src/local/settings";

describe("pollerConcurrency: the consumer threads share Lambda's first five pollers", () => {
  test("one thread polls with all five", () => {
    expect(INITIAL_POLLERS).toBe(5);
    expect(pollerConcurrency({ maxConcurrency: 10 })).toBe(5);
  });

  test("two threads: three and two", () => {
    expect([0, 1].map((index) => pollerConcurrency({ maxConcurrency: 10 }, { index, of: 2 }))).toEqual([
      3, 2,
    ]);
  });

  test("a consumer limited to one poller (FIFO) runs in the first thread only", () => {
    expect([0, 1, 2].map((index) => pollerConcurrency({ maxConcurrency: 1 }, { index, of: 3 }))).toEqual([
      1, 0, 0,
    ]);
  });

  test("more threads than pollers: every poller in a thread of its own, the rest none", () => {
    const shares = Array.from({ length: 7 }, (_, index) =>
      pollerConcurrency({ maxConcurrency: 5 }, { index, of: 7 }),
    );
    expect(shares).toEqual([1, 1, 1, 1, 1, 0, 0]);
  });
});

describe("consumer threads setting", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "settings-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("two by default, LOCAL_CONSUMER_THREADS otherwise, the option first, never below one", () => {
    const threads = (env: Record<string, string>, consumerThreads?: number) =>
      resolveLocalSettings({ root: dir, env, consumerThreads }).consumerThreads;
    expect(threads({})).toBe(2);
    expect(threads({ LOCAL_CONSUMER_THREADS: "3" })).toBe(3);
    expect(threads({ LOCAL_CONSUMER_THREADS: "3" }, 1)).toBe(1);
    expect(threads({ LOCAL_CONSUMER_THREADS: "0" })).toBe(1);
    expect(threads({ LOCAL_CONSUMER_THREADS: "many" })).toBe(2);
  });
});
