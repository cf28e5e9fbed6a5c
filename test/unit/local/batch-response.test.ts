import { failedMessageIds } from "../../../src/local/lambda/batch-response";
import { sqsRecord } from "../../helpers/factories";

const records = [sqsRecord("a", { messageId: "m-1" }), sqsRecord("b", { messageId: "m-2" })];

test.each([
  ["undefined", undefined],
  ["null", null],
  ["no batchItemFailures", {}],
  ["an empty list", { batchItemFailures: [] }],
])("a response of %s means every record succeeded", (_name, response) => {
  expect(failedMessageIds(response, records)).toEqual(new Set());
});

test("listed records failed", () => {
  expect(failedMessageIds({ batchItemFailures: [{ itemIdentifier: "m-2" }] }, records)).toEqual(
    new Set(["m-2"]),
  );
});

test.each([
  ["an empty identifier", { batchItemFailures: [{ itemIdentifier: "" }] }],
  ["an unknown identifier", { batchItemFailures: [{ itemIdentifier: "m-9" }] }],
  ["a null entry", { batchItemFailures: [null] }],
  ["a non-list", { batchItemFailures: "m-1" }],
  ["a string response", "ok"],
])("%s fails the whole batch, as Lambda does", (_name, response) => {
  expect(failedMessageIds(response, records)).toBe("all");
});
