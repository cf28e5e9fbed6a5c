/** Moved to the test kit (src/testing/), which users import as `webhook-gateway/testing`. */
export * from "../../src/testing/function-url";
