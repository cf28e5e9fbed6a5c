import { Readable } from "node:stream";
import { GetQueueUrlCommand, SQSClient } from "@aws-sdk/client-sqs";
import { HttpResponse } from "@smithy/core/transport";
import { QUIET_SDK_LOGGER } from "../../../src/shared/sdk-logger";

/** Calls GetQueueUrl against a canned answer; counts how often the SDK masks the input for a log entry. */
async function filterCalls(logger?: SQSClient["config"]["logger"]): Promise<number> {
  const client = new SQSClient({
    region: "us-east-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    ...(logger ? { logger } : {}),
    requestHandler: {
      handle: async () => ({
        response: new HttpResponse({
          statusCode: 200,
          headers: { "content-type": "application/x-amz-json-1.0" },
          body: Readable.from([Buffer.from('{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/1/q"}')]),
        }),
      }),
    },
  });
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => (args) => {
      const filter = context.inputFilterSensitiveLog;
      context.inputFilterSensitiveLog = (input: unknown) => {
        calls++;
        return filter(input);
      };
      return next(args);
    },
    { step: "initialize", priority: "high" },
  );
  const out = await client.send(new GetQueueUrlCommand({ QueueName: "q" }));
  expect(out.QueueUrl).toBe("https://sqs.us-east-1.amazonaws.com/1/q");
  client.destroy();
  return calls;
}

test("with QUIET_SDK_LOGGER the SDK builds no log entry per call; with its default logger it does", async () => {
  expect(await filterCalls()).toBe(1);
  expect(await filterCalls(QUIET_SDK_LOGGER)).toBe(0);
});
