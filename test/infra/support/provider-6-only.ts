/**
 * The ONE list of what the synthesized stack uses that terraform-provider-aws 5.x rejects. The stack
 * pins the provider `>= 6.28.0, < 7` (stacks/provider.ts); the only provider Terraform can install on
 * machines without network access is a 5.x in a filesystem mirror, so terraform-validate.test.ts
 * patches exactly these out before validating. A test checks that the list is exactly these entries
 * and that every patch changes something in the default stack, so the list cannot rot.
 */
import type { Synthesized } from "./synth";

/** How a 6.x-only attribute is made acceptable to 5.x. */
export type Provider5Patch =
  /** Delete the attribute: 5.x has no such argument. */
  | { kind: "remove" }
  /** Lower a numeric value above `max` to `max`: 5.x validates a narrower range. */
  | { kind: "clamp"; max: number }
  /** Replace one value 5.x does not know by the newest it does. */
  | { kind: "replace"; from: string; to: string };

/** One attribute of one resource type that needs provider 6.x. */
export interface Provider6OnlyAttribute {
  resourceType: string;
  attribute: string;
  /** Why 5.x rejects it, and where 6.x changed. */
  reason: string;
  patch: Provider5Patch;
}

/** SQS's maximum message size before August 2025, the upper bound provider 5.x validates. */
export const SQS_MAX_MESSAGE_SIZE_5X = 262144;

/**
 * Everything the stack needs provider 6.x for.
 *
 * @example
 * PROVIDER_6_ONLY.map((a) => `${a.resourceType}.${a.attribute}`)
 * // ["aws_lambda_permission.invoked_via_function_url", "aws_sqs_queue.max_message_size", "aws_lambda_function.runtime"]
 */
export const PROVIDER_6_ONLY: readonly Provider6OnlyAttribute[] = [
  {
    resourceType: "aws_lambda_permission",
    attribute: "invoked_via_function_url",
    reason:
      "argument added in 6.28.0 (hashicorp/terraform-provider-aws#44858); set through an override in stacks/constructs/public-function-url.ts",
    patch: { kind: "remove" },
  },
  {
    resourceType: "aws_sqs_queue",
    attribute: "max_message_size",
    reason:
      "range raised from 262,144 to 1,048,576 bytes in 6.8.0 (hashicorp/terraform-provider-aws#43710); 5.x rejects 1 MiB",
    patch: { kind: "clamp", max: SQS_MAX_MESSAGE_SIZE_5X },
  },
  {
    resourceType: "aws_lambda_function",
    attribute: "runtime",
    reason:
      "nodejs24.x (the default Lambda runtime, src/config/gateway-config.ts) is unknown to 5.x's validation list, which ends at nodejs22.x",
    patch: { kind: "replace", from: "nodejs24.x", to: "nodejs22.x" },
  },
];

/** What one entry of PROVIDER_6_ONLY changed: the addresses (`<type>.<id>`) of the blocks patched. */
export interface AppliedPatch {
  entry: Provider6OnlyAttribute;
  addresses: string[];
}

/**
 * Applies one patch to one block in place; true when the block changed.
 *
 * @example
 * patchBlock({ max_message_size: 1048576 }, "max_message_size", { kind: "clamp", max: 262144 }) // true
 */
export function patchBlock(
  block: Record<string, unknown>,
  attribute: string,
  patch: Provider5Patch,
): boolean {
  if (!(attribute in block)) return false;
  if (patch.kind === "remove") {
    delete block[attribute];
    return true;
  }
  const value = block[attribute];
  if (patch.kind === "replace") {
    if (value !== patch.from) return false;
    block[attribute] = patch.to;
    return true;
  }
  if (typeof value !== "number" || value <= patch.max) return false;
  block[attribute] = patch.max;
  return true;
}

/**
 * A deep copy of `json` with every PROVIDER_6_ONLY entry patched out, and what each entry changed.
 *
 * @example
 * const { json: for5x, applied } = patchForProvider5(json);
 * applied.every((a) => a.addresses.length > 0) // each patch did something
 */
export function patchForProvider5(
  json: Synthesized,
  entries: readonly Provider6OnlyAttribute[] = PROVIDER_6_ONLY,
): { json: Synthesized; applied: AppliedPatch[] } {
  const copy = structuredClone(json);
  const applied = entries.map((entry) => {
    const addresses = Object.entries(copy.resource[entry.resourceType] ?? {})
      .filter(([, block]) => patchBlock(block, entry.attribute, entry.patch))
      .map(([id]) => `${entry.resourceType}.${id}`);
    return { entry, addresses };
  });
  return { json: copy, applied };
}
