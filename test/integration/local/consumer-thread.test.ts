/**
 * The consumers run in a worker thread of their own under `npm start`: their outcomes, failure
 * lines (pointing into the TypeScript sources) and counters reach the runtime's thread.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { LOCAL_AWS } from "../../../src/local/aws";
import { type LocalRuntime, startLocalRuntime } from "../../../src/local/runtime";
import { BACKGROUND_NICE } from "../../../src/local/thread-priority";
import { niceOf } from "../../helpers/proc";

let dir: string;
let runtime: LocalRuntime;
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "consumer-thread-"));
  runtime = await startLocalRuntime({
    port: 0,
    root: dir,
    dataDir: join(dir, ".data"),
    env: { GITHUB_WEBHOOK_SECRET: "s".repeat(32), SLACK_SIGNING_SECRET: "t".repeat(32), LOG_LEVEL: "SILENT" },
    visibilityTimeoutSeconds: 30,
    log: (line) => lines.push(line),
  });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(find: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not seen in ${ms} ms; lines:\n${lines.join("\n")}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

test("a record failing in the consumers' thread: one line naming the TypeScript source, counted once", async () => {
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: runtime.endpoints.sqs });
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: "archive" }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "not an event" }));
  } finally {
    sqs.destroy();
  }
  const line = await waitFor(() => lines.find((l) => l.includes("✗ archive failed")));
  // The stack frame is mapped back to the TypeScript source, not the thread's bundle in .gen/.
  expect(line).toMatch(
    /✗ archive failed message [\w-]+: InvalidEventError \(Message body is not a gateway event: not_json\) at src\/contract\/parse-event\.ts:\d+:\d+$/,
  );
  const metrics = (await (await fetch(`${runtime.url}/_/metrics`)).json()) as {
    consumers: Record<string, { failed: number; processed: number }>;
  };
  expect(metrics.consumers.archive).toMatchObject({ failed: 1, processed: 0 });
});

test("the consumers' threads and DynamoDB's emulator run below the edge and SQS's emulator (Linux)", () => {
  const own = niceOf(readFileSync("/proc/thread-self/stat", "utf8"));
  const nices = readdirSync("/proc/self/task").map((tid) =>
    niceOf(readFileSync(`/proc/self/task/${tid}/stat`, "utf8")),
  );
  // Two consumer threads (the default) and dynalite's; this thread (the edge) and fauxqs's stay.
  expect(own).toBeLessThan(BACKGROUND_NICE);
  expect(nices.filter((nice) => nice === BACKGROUND_NICE)).toHaveLength(3);
});
