import { BatchCopies, IN_PROGRESS_ERROR, isInProgressError } from "../../../src/consumers/batch-copies";
import { CopyOfFailedRecordError } from "../../../src/consumers/errors";

function inProgress(): Error {
  const error = new Error("There is already an execution in progress");
  error.name = IN_PROGRESS_ERROR;
  return error;
}

describe("BatchCopies", () => {
  it("gives the first claim of an event id the run, and later claims its ending", async () => {
    const copies = new BatchCopies();
    const first = copies.claim("github:1");
    const later = copies.claim("github:1");
    const other = copies.claim("github:2");

    expect(first.first).toBe(true);
    expect(later.first).toBe(false);
    expect(other.first).toBe(true);
    if (!first.first || later.first) throw new Error("unreachable");
    first.settle();
    await expect(later.firstCopy).resolves.toBeUndefined();
  });

  it("fails a later copy with CopyOfFailedRecordError when the first copy failed", async () => {
    const copies = new BatchCopies();
    const first = copies.claim("github:1");
    const later = copies.claim("github:1");
    if (!first.first || later.first) throw new Error("unreachable");
    const cause = new TypeError("boom");
    first.settle(cause);

    const error = await later.firstCopy.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CopyOfFailedRecordError);
    expect(error).toMatchObject({
      code: "copy_of_failed_record",
      message: "The first copy of github:1 in this batch failed (TypeError)",
      cause,
    });
  });

  it("fails a later copy with the same in-progress error, so it too comes back soon", async () => {
    const copies = new BatchCopies();
    const first = copies.claim("slack:Ev1");
    const later = copies.claim("slack:Ev1");
    if (!first.first || later.first) throw new Error("unreachable");
    const error = inProgress();
    first.settle(error);

    await expect(later.firstCopy).rejects.toBe(error);
  });
});

test("isInProgressError tells Powertools' in-progress error by its name", () => {
  expect(isInProgressError(inProgress())).toBe(true);
  expect(isInProgressError(new Error("other"))).toBe(false);
  expect(isInProgressError("IdempotencyAlreadyInProgressError")).toBe(false);
});
