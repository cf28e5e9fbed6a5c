import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { visibilityTimeoutSeconds } from "../../src/contract/limits";
import { createLocalQueues } from "../../src/local/resources";
import { startSqs } from "../helpers/emulators";
import { findBlock, synthGateway, testConfig } from "./support/synth";

/**
 * Regression (layout issue): the stack computed 6 × timeout + batching window, the local runtime
 * max(30, 6 × timeout + 1), so a consumer's messages came back at different times locally and in
 * AWS. Both now call the contract's function; a short timeout is where the two formulas parted.
 */
test.each([
  { name: "github", timeoutSeconds: 3, batchingWindowSeconds: 0 },
  { name: "archive", timeoutSeconds: 30, batchingWindowSeconds: 1 },
  { name: "slack", timeoutSeconds: 7, batchingWindowSeconds: 5 },
])("the stack and the local runtime give $name the same visibility timeout", async (consumer) => {
  const config = testConfig({ consumers: [consumer] });
  const configured = config.consumers.find((c) => c.name === consumer.name)!;
  const expected = visibilityTimeoutSeconds(consumer);

  const { json } = synthGateway(config);
  const deployed = findBlock(json, "aws_sqs_queue", "name", `webhook-gateway-dev-${consumer.name}`).block;
  const { server, sqs } = await startSqs();
  try {
    const local = await createLocalQueues(sqs, [configured]);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: local[0]!.url, AttributeNames: ["VisibilityTimeout"] }),
    );

    expect(deployed.visibility_timeout_seconds).toBe(expected);
    expect([local[0]!.visibilityTimeoutSeconds, Number(Attributes!.VisibilityTimeout)]).toEqual([
      expected,
      expected,
    ]);
  } finally {
    sqs.destroy();
    await server.stop();
  }
});
