import { randomBytes, randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

export interface LambdaContextOptions {
  functionName: string;
  /** The function's timeout: `getRemainingTimeInMillis()` counts down from it. */
  timeoutMs: number;
  region?: string;
  accountId?: string;
  memoryLimitInMB?: number;
  awsRequestId?: string;
}

/**
 * A Lambda `Context` for running a handler outside Lambda, shaped like the real one. The
 * deadline is measured on the monotonic clock, so tests that move `Date.now` (to simulate days
 * passing) do not move the function's remaining time.
 *
 * @example
 * const context = createLambdaContext({ functionName: "archive", timeoutMs: 30_000 });
 * context.getRemainingTimeInMillis() // ≈ 30000
 */
export function createLambdaContext(options: LambdaContextOptions): Context {
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "000000000000";
  const deadline = performance.now() + options.timeoutMs;
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "/");
  const unsupported = (name: string) => () => {
    throw new Error(`context.${name}() is not supported: return a value or throw instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 128),
    awsRequestId: options.awsRequestId ?? randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString("hex")}`,
    getRemainingTimeInMillis: () => Math.max(0, Math.round(deadline - performance.now())),
    done: unsupported("done"),
    fail: unsupported("fail"),
    succeed: unsupported("succeed"),
  };
}
