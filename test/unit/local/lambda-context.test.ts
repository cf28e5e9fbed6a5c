import { createLambdaContext } from "../../../src/local/lambda/lambda-context";

afterEach(() => jest.restoreAllMocks());

test("the context looks like Lambda's", () => {
  const context = createLambdaContext({ functionName: "archive", timeoutMs: 30_000, region: "eu-west-1" });

  expect(context).toMatchObject({
    functionName: "archive",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:000000000000:function:archive",
    memoryLimitInMB: "128",
    logGroupName: "/aws/lambda/archive",
    callbackWaitsForEmptyEventLoop: true,
  });
  expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
  expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
});

test("the remaining time counts down from the timeout, on the monotonic clock", async () => {
  const context = createLambdaContext({ functionName: "f", timeoutMs: 1000 });
  jest.spyOn(Date, "now").mockReturnValue(Date.now() + 3 * 24 * 3600 * 1000);

  await new Promise((resolve) => setTimeout(resolve, 50));
  const remaining = context.getRemainingTimeInMillis();

  expect(remaining).toBeLessThanOrEqual(950);
  expect(remaining).toBeGreaterThan(500);
});
