import { GetObjectCommand } from "@aws-sdk/client-s3";
import { signGitHub } from "../../../src/edge/signatures/github";
import { GITHUB_SECRET, startEdge } from "../../helpers/edge";
import { functionUrlEvent } from "../../helpers/function-url";

/** CASES.md 28: a body over the queue limit goes through the S3 claim check, never half-written. */
test("an event over SQS's 1 MiB limit is stored whole in S3 and queued as a dataref pointer", async () => {
  const edge = await startEdge({ CLAIM_CHECK_BUCKET: "claim-checks" });
  try {
    const payload = {
      action: "completed",
      check_run: { id: 9, output: { text: "log line é\n".repeat(120_000) } },
      repository: { full_name: "octo/repo" },
    };
    const body = JSON.stringify(payload);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1_048_576);
    const result = await edge.invoke(
      functionUrlEvent({
        path: "/github",
        headers: {
          "content-type": "application/json",
          "x-github-event": "check_run",
          "x-github-delivery": "big-1",
          "x-hub-signature-256": signGitHub(GITHUB_SECRET, body),
        },
        body,
      }),
    );
    const messages = await edge.drain();
    expect([result.statusCode, messages.length]).toEqual([202, 1]);
    const pointer = JSON.parse(messages[0]!.Body!);
    expect(pointer).toMatchObject({
      id: "github:big-1",
      type: "com.github.check_run.completed",
      subject: "check_run/9",
    });
    expect(pointer.data).toBeUndefined();
    const match = /^s3:\/\/claim-checks\/(.+)$/.exec(pointer.dataref)!;
    expect(match).not.toBeNull();
    const object = await edge.s3.send(new GetObjectCommand({ Bucket: "claim-checks", Key: match[1] }));
    const stored = JSON.parse(await object.Body!.transformToString());
    const { dataref: _ref, ...envelope } = pointer;
    expect(stored).toEqual({ ...envelope, data: payload });
  } finally {
    await edge.stop();
  }
});

test("without a claim-check bucket the same event is refused with 413 and nothing is queued", async () => {
  const edge = await startEdge();
  try {
    const body = JSON.stringify({
      action: "completed",
      blob: "x".repeat(1_100_000),
      repository: { full_name: "o/r" },
    });
    const result = await edge.invoke(
      functionUrlEvent({
        path: "/github",
        headers: {
          "content-type": "application/json",
          "x-github-event": "check_run",
          "x-github-delivery": "big-2",
          "x-hub-signature-256": signGitHub(GITHUB_SECRET, body),
        },
        body,
      }),
    );
    expect([result.statusCode, await edge.depth()]).toEqual([413, 0]);
  } finally {
    await edge.stop();
  }
});
