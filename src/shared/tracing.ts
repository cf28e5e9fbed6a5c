import type { Tracer } from "@aws-lambda-powertools/tracer";
import { ENV } from "../contract/environment";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Loads the Powertools Tracer only where it traces: in Lambda, unless `POWERTOOLS_TRACE_ENABLED`
 * is `false`. Importing it loads the X-Ray SDK, whose `cls-hooked` installs an `async_hooks` hook
 * for the whole process that makes every `await` about ten times slower (measured in
 * BENCHMARKS.md), even with tracing disabled; the local runtime and the tests never pay for it.
 *
 * @example
 * const tracer = loadTracer("webhook-gateway");
 * if (tracer) tracer.captureAWSv3Client(sqs);
 */
export function loadTracer(serviceName: string, env: Env = process.env): Tracer | undefined {
  if (env[ENV.powertoolsTraceEnabled] === "false" || !env.AWS_LAMBDA_FUNCTION_NAME) return undefined;
  const { Tracer: PowertoolsTracer } =
    require("@aws-lambda-powertools/tracer") as typeof import("@aws-lambda-powertools/tracer");
  return new PowertoolsTracer({ serviceName });
}
