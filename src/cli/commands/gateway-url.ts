import { readFileSync } from "node:fs";
import { CommandError, UsageError } from "../errors";

/**
 * The gateway base URL: `--url`, or `function_url` from a saved `npx cdktf output --json` (or
 * `terraform output -json`) file given with `--outputs`.
 *
 * @example
 * gatewayUrl({ url: "https://abc.lambda-url.us-east-1.on.aws/" }) // "https://abc.lambda-url.us-east-1.on.aws"
 */
export function gatewayUrl(values: { url?: string; outputs?: string }): string {
  if (values.url && values.outputs) throw new UsageError("give --url or --outputs, not both");
  let url = values.url;
  if (values.outputs) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(values.outputs, "utf8"));
    } catch (error) {
      throw new CommandError(
        "unreadable_outputs",
        `cannot read ${values.outputs}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    url = findFunctionUrl(parsed);
    if (!url) throw new CommandError("missing_output", `${values.outputs} has no function_url output`);
  }
  if (!url) throw new UsageError("--url or --outputs is required");
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  return url.replace(/\/+$/, "");
}

// `cdktf output --json` nests outputs under the stack name; `terraform output -json` wraps values.
function findFunctionUrl(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  const direct = record.function_url;
  if (typeof direct === "string") return direct;
  if (direct && typeof (direct as { value?: unknown }).value === "string")
    return (direct as { value: string }).value;
  for (const nested of Object.values(record)) {
    const found = findFunctionUrl(nested);
    if (found) return found;
  }
  return undefined;
}
