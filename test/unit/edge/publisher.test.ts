import type { NormalizedEvent } from "../../../src/contract/event";
import { compileRoutes } from "../../../src/contract/routing";
import type { ClaimCheckPort, OutboundMessage, QueuePort } from "../../../src/edge/ports";
import { createPublisher, joinCopiesInFlight } from "../../../src/edge/publisher";
import { QueueUnavailableError } from "../../../src/shared/errors";

const event = (
  type: string,
  source = "https://github.com/octo/repo",
  id = "github:abc",
): NormalizedEvent => ({
  attributes: {
    specversion: "1.0",
    id,
    source,
    type,
    time: "2026-11-23T10:00:00.000Z",
    datacontenttype: "application/json",
    provider: "github",
    receivedat: "2026-11-23T10:00:00.000Z",
  },
  dataJson: '{"a":1}',
  groupKey: "octo/repo",
});

class RecordingQueue implements QueuePort {
  sent: OutboundMessage[] = [];
  failFor = new Set<string>();
  async send(message: OutboundMessage): Promise<void> {
    if (this.failFor.has(message.queueUrl)) throw new Error("refused");
    this.sent.push(message);
  }
}

const routes = compileRoutes([
  { name: "archive", queueUrl: "q/archive" },
  { name: "prs", queueUrl: "q/prs", types: ["com.github.pull_request.*"] },
  { name: "octo", queueUrl: "q/octo.fifo", fifo: true, sources: ["https://github.com/octo/*"] },
  { name: "slack", queueUrl: "q/slack", types: ["com.slack.*"] },
]);

test("sends to every route whose type and source filters match, with the routing attributes", async () => {
  const queue = new RecordingQueue();
  const result = await createPublisher({ routes, queue })(event("com.github.pull_request.opened"), 1000);
  expect(result).toEqual({ queued: ["archive", "prs", "octo"], claimChecked: false });
  expect(queue.sent.map((m) => m.queueUrl)).toEqual(["q/archive", "q/prs", "q/octo.fifo"]);
  expect(queue.sent[0]!.attributes).toEqual({
    type: "com.github.pull_request.opened",
    source: "https://github.com/octo/repo",
    provider: "github",
  });
});

test("FIFO queues get the repository as message group and the event id as deduplication id", async () => {
  const queue = new RecordingQueue();
  await createPublisher({ routes, queue })(event("com.github.push"), 1000);
  const fifo = queue.sent.find((m) => m.queueUrl === "q/octo.fifo")!;
  const standard = queue.sent.find((m) => m.queueUrl === "q/archive")!;
  expect([fifo.groupId, fifo.deduplicationId]).toEqual(["octo/repo", "github:abc"]);
  expect([standard.groupId, standard.deduplicationId]).toEqual([undefined, undefined]);
});

test("FIFO ids outside SQS's character set or length are hashed", async () => {
  const queue = new RecordingQueue();
  const long = {
    ...event("com.github.push", "https://github.com/octo/x", `github:${"x".repeat(200)}`),
    groupKey: "équipe",
  };
  await createPublisher({ routes, queue })(long, 1000);
  const fifo = queue.sent.find((m) => m.queueUrl === "q/octo.fifo")!;
  expect(fifo.groupId).toMatch(/^[0-9a-f]{64}$/);
  expect(fifo.deduplicationId).toMatch(/^[0-9a-f]{64}$/);
});

test("an event no route matches is reported unrouted, not sent", async () => {
  const queue = new RecordingQueue();
  const only = compileRoutes([{ name: "slack", queueUrl: "q/slack", types: ["com.slack.*"] }]);
  expect(await createPublisher({ routes: only, queue })(event("com.github.push"), 1000)).toEqual({
    queued: [],
    claimChecked: false,
  });
  expect(queue.sent).toHaveLength(0);
});

test("one queue refusing makes the whole publish fail, after the others were tried", async () => {
  const queue = new RecordingQueue();
  queue.failFor.add("q/prs");
  const publish = createPublisher({ routes, queue });
  await expect(publish(event("com.github.pull_request.opened"), 1000)).rejects.toBeInstanceOf(
    QueueUnavailableError,
  );
  expect(queue.sent.map((m) => m.queueUrl)).toEqual(["q/archive", "q/octo.fifo"]);
});

test("a queue that honours the deadline's signal is aborted at the deadline", async () => {
  const hanging: QueuePort = {
    send: (_m, deadline) =>
      new Promise((_resolve, reject) => {
        const signal = deadline.signal();
        signal.addEventListener("abort", () => reject(signal.reason));
      }),
  };
  const publish = createPublisher({ routes, queue: hanging });
  await expect(publish(event("com.github.push"), 50)).rejects.toBeInstanceOf(QueueUnavailableError);
});

test("a queue that ignores the deadline is abandoned at the deadline all the same", async () => {
  const deaf: QueuePort = { send: () => new Promise(() => undefined) };
  const publish = createPublisher({ routes, queue: deaf });
  await expect(publish(event("com.github.push"), 50)).rejects.toThrow("queue deadline of 50 ms passed");
});

describe("claim check", () => {
  const big = { ...event("com.github.push"), dataJson: JSON.stringify({ blob: "é".repeat(600) }) };

  test("an event over the message limit is stored and replaced by a dataref pointer", async () => {
    const queue = new RecordingQueue();
    const stored: string[] = [];
    const claimCheck: ClaimCheckPort = {
      put: async (id, body) => {
        stored.push(body);
        return `s3://bucket/${id}`;
      },
    };
    const result = await createPublisher({ routes, queue, claimCheck, maxMessageBytes: 1000 })(big, 1000);
    expect(result.claimChecked).toBe(true);
    const pointer = JSON.parse(queue.sent[0]!.body);
    expect(pointer.dataref).toBe("s3://bucket/github:abc");
    expect(pointer.data).toBeUndefined();
    expect(JSON.parse(stored[0]!).data).toEqual({ blob: "é".repeat(600) });
  });

  test("without a claim-check store the event is refused with 413", async () => {
    const publish = createPublisher({ routes, queue: new RecordingQueue(), maxMessageBytes: 1000 });
    await expect(publish(big, 1000)).rejects.toMatchObject({ statusCode: 413 });
  });

  test("the limit counts UTF-8 bytes, not characters", async () => {
    // 600 "é" are 600 characters but 1,200 bytes.
    const publish = createPublisher({ routes, queue: new RecordingQueue(), maxMessageBytes: 1100 });
    await expect(publish(big, 1000)).rejects.toMatchObject({ statusCode: 413 });
  });
});

describe("joinCopiesInFlight", () => {
  /** A queue whose sends wait until `release` is called, so copies can arrive while one is in flight. */
  class HeldQueue extends RecordingQueue {
    private held: (() => void)[] = [];
    override async send(message: OutboundMessage): Promise<void> {
      await new Promise<void>((resolve) => this.held.push(resolve));
      await super.send(message);
    }
    release(): void {
      for (const resolve of this.held.splice(0)) resolve();
    }
  }

  test("copies that arrive while the event is being queued share its send and its answer", async () => {
    const queue = new HeldQueue();
    const publish = joinCopiesInFlight(createPublisher({ routes, queue }));
    const copies = [1, 2, 3].map(() => publish(event("com.github.pull_request.opened"), 1000));
    await new Promise((resolve) => setImmediate(resolve));
    queue.release();
    const results = await Promise.all(copies);

    expect(queue.sent.map((m) => m.queueUrl)).toEqual(["q/archive", "q/prs", "q/octo.fifo"]);
    expect(results).toEqual([
      { queued: ["archive", "prs", "octo"], claimChecked: false },
      { queued: ["archive", "prs", "octo"], claimChecked: false, joined: true },
      { queued: ["archive", "prs", "octo"], claimChecked: false, joined: true },
    ]);
  });

  test("a copy that arrives after the send ended is queued again; other events never wait", async () => {
    const queue = new RecordingQueue();
    const publish = joinCopiesInFlight(createPublisher({ routes, queue }));
    await publish(event("com.github.push"), 1000);
    const again = await publish(event("com.github.push"), 1000);
    const other = await publish(event("com.github.push", undefined, "github:def"), 1000);

    expect(again.joined).toBeUndefined();
    expect(other.joined).toBeUndefined();
    expect(queue.sent.map((m) => m.queueUrl)).toEqual([
      "q/archive",
      "q/octo.fifo",
      "q/archive",
      "q/octo.fifo",
      "q/archive",
      "q/octo.fifo",
    ]);
  });

  test("when the shared send fails every copy fails with it, and the next copy sends afresh", async () => {
    const queue = new HeldQueue();
    queue.failFor.add("q/octo.fifo");
    const publish = joinCopiesInFlight(createPublisher({ routes, queue }));
    const copies = [1, 2].map(() => publish(event("com.github.push"), 1000));
    await new Promise((resolve) => setImmediate(resolve));
    queue.release();
    const settled = await Promise.allSettled(copies);

    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);
    for (const s of settled)
      expect((s as PromiseRejectedResult).reason).toBeInstanceOf(QueueUnavailableError);
    expect(queue.sent.map((m) => m.queueUrl)).toEqual(["q/archive"]);

    queue.failFor.clear();
    const retry = publish(event("com.github.push"), 1000);
    await new Promise((resolve) => setImmediate(resolve));
    queue.release();
    expect(await retry).toEqual({ queued: ["archive", "octo"], claimChecked: false });
    expect(queue.sent.map((m) => m.queueUrl)).toEqual(["q/archive", "q/archive", "q/octo.fifo"]);
  });
});
