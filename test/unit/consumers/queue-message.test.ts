import {
  archivedEventMessage,
  normalizedEventMessage,
  sendMessageInput,
} from "../../../src/consumers/queue-message";
import { type GatewayEvent, REPROCESS_EXTENSION, serializeEvent } from "../../../src/contract/event";
import { githubEvent, githubExample } from "../../helpers/factories";

const push = githubEvent({ name: "push", payload: githubExample("push"), delivery: "d-1" });
const { data: _data, ...envelope } = push;
const ATTRIBUTES = {
  type: { DataType: "String", StringValue: "com.github.push" },
  source: { DataType: "String", StringValue: "https://github.com/Codertocat/Hello-World" },
  provider: { DataType: "String", StringValue: "github" },
};
const FIFO = { groupId: "Codertocat/Hello-World", deduplicationId: "github:d-1" };

describe("archivedEventMessage", () => {
  it("sends an archived event as the edge queued it: its JSON, the message attributes, the FIFO ids", () => {
    const message = archivedEventMessage({ event: push });

    expect(message).toEqual({ event: push, body: JSON.stringify(push), attributes: ATTRIBUTES, fifo: FIFO });
    expect(JSON.parse(message!.body)[REPROCESS_EXTENSION]).toBeUndefined();
  });

  it("sends no reprocessing run without one, even when the archived event carries an old one", () => {
    const message = archivedEventMessage({ event: { ...push, reprocess: "rold" } as GatewayEvent });

    expect(message?.event).toEqual(push);
    expect(JSON.parse(message!.body)[REPROCESS_EXTENSION]).toBeUndefined();
    expect(message?.fifo).toEqual(FIFO);
  });

  it("escapes what SQS refuses (characters beyond the BMP) in the body, keeping the value", () => {
    const event = { ...push, data: { note: "ship it 🚀" } } as GatewayEvent;

    const body = archivedEventMessage({ event })!.body;

    expect(body).toContain(String.raw`ship it \ud83d\ude80`);
    expect(JSON.parse(body).data).toEqual({ note: "ship it 🚀" });
  });

  it("carries a reprocessing run in the reprocess extension, deduplicated on the event and the run", () => {
    const message = archivedEventMessage({ event: push }, "r1a2b3");

    expect(message?.event).toEqual({ ...push, reprocess: "r1a2b3" });
    expect(JSON.parse(message!.body)).toEqual({ ...push, reprocess: "r1a2b3" });
    expect(message?.attributes).toEqual(ATTRIBUTES);
    // Same group; a deduplication id of the run, so SQS does not drop it as a copy of the event.
    expect(message?.fifo).toEqual({ ...FIFO, deduplicationId: "github:d-1#reprocess:r1a2b3" });
    // The archived event itself is not changed.
    expect(push[REPROCESS_EXTENSION]).toBeUndefined();
  });

  it("sends an event archived without its data as the claim-check pointer to its dataref", () => {
    const dataref = "s3://claims/github/d-1.json";

    const message = archivedEventMessage({ event: envelope, truncated: true, dataref }, "r1a2b3");

    expect(JSON.parse(message!.body)).toEqual({ ...envelope, reprocess: "r1a2b3", dataref });
    expect(message?.attributes).toEqual(ATTRIBUTES);
    // Without the payload, the group is read from the source (the same repository).
    expect(message?.fifo).toEqual({ ...FIFO, deduplicationId: "github:d-1#reprocess:r1a2b3" });
    expect(archivedEventMessage({ event: envelope, truncated: true, dataref })?.fifo).toEqual(FIFO);
  });

  it("reads the dataref from the envelope when the item has none of its own", () => {
    const event = { ...envelope, dataref: "s3://claims/github/d-1.json" };

    const message = archivedEventMessage({ event, truncated: true });

    expect(JSON.parse(message!.body)).toEqual(event);
  });

  it("gives nothing for an event archived without its data and without a claim check", () => {
    expect(archivedEventMessage({ event: envelope, truncated: true })).toBeUndefined();
    expect(archivedEventMessage({ event: envelope, truncated: true }, "r1a2b3")).toBeUndefined();
  });
});

describe("normalizedEventMessage", () => {
  const dataJson = JSON.stringify(githubExample("push"));

  it("splices the payload's JSON text as the edge does", () => {
    const message = normalizedEventMessage({ attributes: envelope, dataJson });

    expect(message.body).toBe(serializeEvent({ attributes: envelope, dataJson }));
    expect(message.attributes).toEqual(ATTRIBUTES);
    expect(message.fifo).toEqual(FIFO);
  });

  it("carries a reprocessing run in the reprocess extension", () => {
    const message = normalizedEventMessage({ attributes: envelope, dataJson }, "r1a2b3");

    expect(JSON.parse(message.body)).toEqual({ ...push, reprocess: "r1a2b3" });
    expect(message.event).toEqual({ ...push, reprocess: "r1a2b3" });
    expect(message.fifo).toEqual({ ...FIFO, deduplicationId: "github:d-1#reprocess:r1a2b3" });
  });
});

describe("sendMessageInput", () => {
  const message = archivedEventMessage({ event: push })!;

  it("sets the FIFO group and deduplication ids on a FIFO queue", () => {
    expect(sendMessageInput(message, { url: "http://q/github.fifo", fifo: true })).toEqual({
      QueueUrl: "http://q/github.fifo",
      MessageBody: message.body,
      MessageAttributes: ATTRIBUTES,
      MessageGroupId: "Codertocat/Hello-World",
      MessageDeduplicationId: "github:d-1",
    });
  });

  it("leaves them out on a standard queue", () => {
    expect(sendMessageInput(message, { url: "http://q/github", fifo: false })).toEqual({
      QueueUrl: "http://q/github",
      MessageBody: message.body,
      MessageAttributes: ATTRIBUTES,
    });
  });
});
