/**
 * Faults fauxqs cannot produce, injected into a real SQS client as middleware so the emulator's
 * state stays truthful (a message reported as not deleted is really not deleted).
 */
import type { DeleteMessageBatchCommandOutput, SQSClient } from "@aws-sdk/client-sqs";

/**
 * Makes the next `count` entries sent to DeleteMessageBatch fail the way SQS reports it: an HTTP
 * 200 whose `Failed` list names them. The entries are withheld from fauxqs, so the messages stay
 * in the queue and reappear after their visibility timeout.
 */
export function failNextDeleteEntries(
  sqs: SQSClient,
  count: number,
): { readonly failed: number; remove(): void } {
  let remaining = count;
  let failed = 0;
  const name = `fail-delete-entries-${Math.random().toString(36).slice(2)}`;
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "DeleteMessageBatchCommand" || remaining === 0) return next(args);
      const input = args.input as { Entries?: { Id: string; ReceiptHandle: string }[] };
      const entries = input.Entries ?? [];
      const refused = entries.slice(0, remaining);
      remaining -= refused.length;
      failed += refused.length;
      const kept = entries.slice(refused.length);
      const failures = refused.map((entry) => ({
        Id: entry.Id,
        SenderFault: false,
        Code: "InternalError",
        Message: "We encountered an internal error. Please try again.",
      }));
      if (kept.length === 0) {
        const output: DeleteMessageBatchCommandOutput = {
          Successful: [],
          Failed: failures,
          $metadata: { httpStatusCode: 200 },
        };
        return { output, response: {} } as Awaited<ReturnType<typeof next>>;
      }
      const result = await next({ ...args, input: { ...input, Entries: kept } as typeof args.input });
      const output = result.output as DeleteMessageBatchCommandOutput;
      output.Failed = [...(output.Failed ?? []), ...failures];
      return result;
    },
    { step: "initialize", name },
  );
  return {
    get failed() {
      return failed;
    },
    remove: () => sqs.middlewareStack.remove(name),
  };
}
