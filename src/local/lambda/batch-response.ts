import type { SQSBatchResponse, SQSRecord } from "aws-lambda";

/**
 * Which records of a batch failed, read the way Lambda reads a `ReportBatchItemFailures`
 * response: nothing or an empty list means all succeeded; an identifier that is empty or not in
 * the batch makes the whole batch a failure.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 * @example
 * failedMessageIds({ batchItemFailures: [{ itemIdentifier: "m-2" }] }, records) // Set { "m-2" }
 * failedMessageIds({ batchItemFailures: [{ itemIdentifier: "" }] }, records)    // "all"
 */
export function failedMessageIds(response: unknown, records: readonly SQSRecord[]): Set<string> | "all" {
  if (response === undefined || response === null) return new Set();
  if (typeof response !== "object") return "all";
  const failures = (response as Partial<SQSBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return "all";
  const ids = new Set(records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== "string" || !ids.has(id)) return "all";
    failed.add(id);
  }
  return failed;
}
