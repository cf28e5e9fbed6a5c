import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { replayArchive } from "../../../src/cli/ops/archive-replay";
import { ArchiveStore, createArchiveTable } from "../../../src/consumers";
import { signGitHub } from "../../../src/edge/signatures/github";
import { type EdgeHarness, GITHUB_SECRET, startEdge } from "../../helpers/edge";
import { startDynamo } from "../../helpers/emulators";
import { githubEvent, githubExample } from "../../helpers/factories";
import { functionUrlEvent } from "../../helpers/function-url";

let edge: EdgeHarness;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let fifoUrl: string;

beforeEach(async () => {
  // The edge routes every event to one FIFO queue, as a consumer with `fifo: true` is deployed.
  edge = await startEdge({}, { routes: (url) => [{ name: "ordered", queueUrl: fifoOf(url), fifo: true }] });
  const created = await edge.sqs.send(
    new CreateQueueCommand({
      QueueName: "ordered.fifo",
      Attributes: { FifoQueue: "true", ContentBasedDeduplication: "false" },
    }),
  );
  fifoUrl = created.QueueUrl!;
  dynamo = await startDynamo();
  await createArchiveTable(dynamo.ddb, "archive");
});
afterEach(async () => {
  await edge.stop();
  await dynamo.stop();
});

function fifoOf(standardQueueUrl: string): string {
  return standardQueueUrl.replace(/archive$/, "ordered.fifo");
}

async function receiveAll(): Promise<{ id: string; groupId: string; deduplicationId: string }[]> {
  const out: { id: string; groupId: string; deduplicationId: string }[] = [];
  for (;;) {
    const { Messages = [] } = await edge.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: fifoUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ["MessageGroupId", "MessageDeduplicationId"],
      }),
    );
    if (Messages.length === 0) return out;
    for (const m of Messages) {
      out.push({
        id: JSON.parse(m.Body!).id,
        groupId: m.Attributes!.MessageGroupId!,
        deduplicationId: m.Attributes!.MessageDeduplicationId!,
      });
      await edge.sqs.send(new DeleteMessageCommand({ QueueUrl: fifoUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}

/**
 * Regression (layout issue): archive replay grouped FIFO messages by `event.source` while the edge
 * groups by repository, so a replayed event landed in another message group than the live events
 * of its repository and lost its ordering with them.
 */
test("a replayed FIFO event lands in the same message group as a live event of its repository", async () => {
  expect(fifoUrl).toBe(fifoOf(edge.queueUrl));
  const payload = githubExample("push");
  const repository = (payload.repository as { full_name: string }).full_name;
  const body = JSON.stringify(payload);
  const live = await edge.invoke(
    functionUrlEvent({
      path: "/github",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "live-1",
        "x-hub-signature-256": signGitHub(GITHUB_SECRET, body),
      },
      body,
    }),
  );
  expect(live.statusCode).toBe(202);
  const archive = new ArchiveStore(dynamo.ddb, "archive");
  const archived = githubEvent({ name: "push", payload, delivery: "archived-1" });
  await archive.put(archived);

  const result = await replayArchive({
    archive,
    sqs: edge.sqs,
    queueUrl: fifoUrl,
    fifo: true,
    query: { type: "com.github.push" },
  });

  expect(result).toEqual({ sent: 1, skipped: [], failed: [] });
  expect(await receiveAll()).toEqual([
    { id: "github:live-1", groupId: repository, deduplicationId: "github:live-1" },
    { id: "github:archived-1", groupId: repository, deduplicationId: "github:archived-1" },
  ]);
  // The old rule would have used the source URI instead.
  expect(repository).not.toBe(archived.source);
});
