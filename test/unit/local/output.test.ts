import { recordLine } from "../../../src/local/output";

const base = { consumer: "archive", messageId: "m-1", eventId: "slack:Ev1", durationMs: 12 };
const TIME = /^\d\d:\d\d:\d\d\.\d{3} {3}/;

describe("recordLine", () => {
  it("is a calm line for a record waiting for the copy in progress, not a failure", () => {
    const line = recordLine({
      ...base,
      status: "failed",
      reason: "IdempotencyAlreadyInProgressError",
      retryInSeconds: 2,
    });
    expect(line?.replace(TIME, "")).toBe(
      "… archive slack:Ev1 waiting for the copy in progress (back in 2 s)",
    );
  });

  it("is a red ✗ line for a failure, with its reason, message and where it was thrown", () => {
    const line = recordLine({ ...base, status: "failed", reason: "Error", error: new Error("boom") });
    expect(line?.replace(TIME, "")).toMatch(
      /^✗ archive failed slack:Ev1: Error \(boom\) at test\/unit\/local\/output\.test\.ts:\d+:\d+$/,
    );
  });

  it("says processed and skipped duplicate, and nothing for a filtered event", () => {
    expect(recordLine({ ...base, status: "processed" })?.replace(TIME, "")).toBe(
      "✓ archive processed slack:Ev1 (12 ms)",
    );
    expect(recordLine({ ...base, status: "duplicate" })?.replace(TIME, "")).toBe(
      "= archive skipped duplicate slack:Ev1",
    );
    expect(recordLine({ ...base, status: "filtered" })).toBeUndefined();
  });
});
