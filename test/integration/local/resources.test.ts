/**
 * The local queues on a fauxqs that kept them from an earlier run (the data directory): created
 * again with other settings, they take the new ones; their URLs name the endpoint in use.
 */
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { consumer } from "../../../src/config/gateway-config";
import { createLocalQueues } from "../../../src/local/resources";
import { type Fauxqs, startSqs, TEST_CREDENTIALS, TEST_REGION } from "../../helpers/emulators";

let server: Fauxqs;
let sqs: SQSClient;
let endpoint: string;
beforeAll(async () => {
  ({ server, sqs, endpoint } = await startSqs());
});
afterAll(async () => {
  sqs.destroy();
  await server.stop();
});

const consumers = [consumer({ name: "archive", entry: "handlers/consumers/archive.ts", maxReceiveCount: 5 })];

async function attributes(client: SQSClient, url: string) {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["VisibilityTimeout", "RedrivePolicy"] }),
  );
  return { visibility: Attributes!.VisibilityTimeout, redrive: JSON.parse(Attributes!.RedrivePolicy!) };
}

test("a queue kept from an earlier run takes the new settings instead of failing", async () => {
  await createLocalQueues(sqs, consumers, { visibilityTimeoutSeconds: 2 });
  const [again] = await createLocalQueues(sqs, [{ ...consumers[0]!, maxReceiveCount: 50 }], {
    visibilityTimeoutSeconds: 7,
  });
  expect(await attributes(sqs, again!.url)).toEqual({
    visibility: "7",
    redrive: { deadLetterTargetArn: expect.stringMatching(/:archive-dlq$/), maxReceiveCount: 50 },
  });
});

test("queue URLs name the endpoint the client uses, whatever port created them", async () => {
  const { port } = new URL(endpoint);
  const other = new SQSClient({
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    endpoint: `http://localhost:${port}`,
  });
  try {
    const [queue] = await createLocalQueues(other, consumers, { visibilityTimeoutSeconds: 7 });
    expect([queue!.url, queue!.dlqUrl]).toEqual([
      `http://localhost:${port}/000000000000/archive`,
      `http://localhost:${port}/000000000000/archive-dlq`,
    ]);
  } finally {
    other.destroy();
  }
});
