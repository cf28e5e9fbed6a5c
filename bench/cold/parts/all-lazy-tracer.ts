/**
 * Cold-start composition: `all.ts` plus the Powertools Tracer bundled behind a lazy `require` that
 * never runs with tracing off — the edge's own arrangement (`src/shared/tracing.ts`) without the edge's code.
 */
import type { Tracer } from "@aws-lambda-powertools/tracer";
import { handler as all } from "./all";

function loadTracer(): Tracer | undefined {
  if (process.env.POWERTOOLS_TRACE_ENABLED === "false" || !process.env.AWS_LAMBDA_FUNCTION_NAME)
    return undefined;
  const { Tracer: PowertoolsTracer } =
    require("@aws-lambda-powertools/tracer") as typeof import("@aws-lambda-powertools/tracer");
  return new PowertoolsTracer({ serviceName: "webhook-gateway" });
}

const tracer = loadTracer();

export const handler = async (): Promise<{ statusCode: number; body: string }> => {
  const result = await all();
  return { ...result, body: `${result.body}:${tracer ? "traced" : "untraced"}` };
};
