import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { consumer } from "../../../src/config/gateway-config";
import { INITIAL_POLLERS, pollerConcurrency, withBatchingWindow } from "../../../src/local/consumers";
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

describe("LOCAL_BATCHING_WINDOW_SECONDS", () => {
  const consumers = [
    consumer({ name: "archive", entry: "handlers/consumers/archive.ts" }),
    consumer({
      name: "ordered",
      entry: "handlers/consumers/ordered.ts",
      fifo: true,
      batchingWindowSeconds: 0,
    }),
  ];

  test("replaces every standard consumer's window; FIFO consumers keep none; unset keeps the stack's", () => {
    expect(consumers.map((c) => c.batchingWindowSeconds)).toEqual([1, 0]);
    expect(withBatchingWindow(consumers, 0).map((c) => [c.name, c.batchingWindowSeconds])).toEqual([
      ["archive", 0],
      ["ordered", 0],
    ]);
    expect(withBatchingWindow(consumers, 5)[0]!.batchingWindowSeconds).toBe(5);
    expect(withBatchingWindow(consumers, 5)[1]!.batchingWindowSeconds).toBe(0);
    expect(withBatchingWindow(consumers, undefined)).toEqual(consumers);
  });

  test("0 by default; read from the environment or the option, in whole seconds from 0 to 300, or the stack's", () => {
    const dir = mkdtempSync(join(tmpdir(), "settings-"));
    try {
      const window = (env: Record<string, string>, batchingWindowSeconds?: number | "stack") =>
        resolveLocalSettings({ root: dir, env, batchingWindowSeconds }).batchingWindowSeconds;
      expect(window({})).toBe(0);
      expect(window({ LOCAL_BATCHING_WINDOW_SECONDS: "stack" })).toBeUndefined();
      expect(window({ LOCAL_BATCHING_WINDOW_SECONDS: " Stack " })).toBeUndefined();
      expect(window({ LOCAL_BATCHING_WINDOW_SECONDS: "2" }, "stack")).toBeUndefined();
      expect(window({ LOCAL_BATCHING_WINDOW_SECONDS: "0" })).toBe(0);
      expect(window({ LOCAL_BATCHING_WINDOW_SECONDS: "2.7" })).toBe(2);
      expect(window({ LOCAL_BATCHING_WINDOW_SECONDS: "900" })).toBe(300);
      expect(window({ LOCAL_BATCHING_WINDOW_SECONDS: "0" }, 3)).toBe(3);
      expect(window({ LOCAL_BATCHING_WINDOW_SECONDS: "soon" })).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
