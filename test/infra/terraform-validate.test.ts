/**
 * `terraform validate` on every stack variant, with the real Terraform CLI and hashicorp/aws from a
 * local plugin mirror (no network). The stack requires provider 6.28+, the mirror holds a 5.x: the
 * attributes in support/provider-6-only.ts (and only those) are patched out and the version
 * constraint is relaxed to the mirrored version. Everything else must be valid as synthesized.
 */
import { AWS_PROVIDER_VERSION } from "../../stacks/provider";
import { PROVIDER_6_ONLY, patchForProvider5, SQS_MAX_MESSAGE_SIZE_5X } from "./support/provider-6-only";
import { type Synthesized, synthGateway } from "./support/synth";
import { formatDiagnostic, locateTerraform, TerraformWorkspace } from "./support/terraform";
import { STACK_VARIANTS } from "./support/variants";

/**
 * Every path (`a.b.0.c`) at which two JSON values differ.
 *
 * @example
 * differingPaths({ a: 1, b: 2 }, { a: 1 }) // ["b"]
 */
function differingPaths(a: unknown, b: unknown, path: string[] = []): string[] {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) =>
      differingPaths((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], [
        ...path,
        key,
      ]),
    );
  }
  return Object.is(a, b) ? [] : [path.join(".")];
}

/** The synthesized JSON relaxed for the mirrored provider: 6.x-only attributes patched, version pinned. */
function forMirroredProvider(json: Synthesized, providerVersion: string): Synthesized {
  const patched = patchForProvider5(json).json;
  const aws = patched.terraform.required_providers.aws;
  if (!aws) throw new Error("the stack no longer requires the aws provider");
  aws.version = providerVersion;
  return patched;
}

describe("the 6.x-only patch list", () => {
  it("names exactly invoked_via_function_url, max_message_size above 256 KiB and the nodejs24.x runtime", () => {
    expect(
      PROVIDER_6_ONLY.map(({ resourceType, attribute, patch }) => ({ resourceType, attribute, patch })),
    ).toEqual([
      {
        resourceType: "aws_lambda_permission",
        attribute: "invoked_via_function_url",
        patch: { kind: "remove" },
      },
      { resourceType: "aws_sqs_queue", attribute: "max_message_size", patch: { kind: "clamp", max: 262144 } },
      {
        resourceType: "aws_lambda_function",
        attribute: "runtime",
        patch: { kind: "replace", from: "nodejs24.x", to: "nodejs22.x" },
      },
    ]);
  });

  it("changes something with every entry, and nothing but the listed attributes, in the default stack", () => {
    const { json } = synthGateway();
    const { json: patched, applied } = patchForProvider5(json);
    const [permission, queues, functions] = applied;
    // One permission carries the override; all 8 queues (4 consumers, queue + DLQ) ask for 1 MiB;
    // the edge and the 4 consumers run on nodejs24.x.
    expect(permission!.addresses).toHaveLength(1);
    expect(queues!.addresses).toHaveLength(8);
    expect(functions!.addresses).toHaveLength(5);
    expect(differingPaths(json, patched).sort()).toEqual(
      applied
        .flatMap(({ entry, addresses }) =>
          addresses.map((address) => `resource.${address}.${entry.attribute}`),
        )
        .sort(),
    );
    for (const address of queues!.addresses) {
      const [type, id] = address.split(".") as [string, string];
      expect(patched.resource[type]![id]!.max_message_size).toBe(SQS_MAX_MESSAGE_SIZE_5X);
    }
    const [permissionType, permissionId] = permission!.addresses[0]!.split(".") as [string, string];
    expect(patched.resource[permissionType]![permissionId]).not.toHaveProperty("invoked_via_function_url");
    expect(json.resource[permissionType]![permissionId]).toHaveProperty("invoked_via_function_url", true);
  });

  it("relaxes only the version of the aws provider, which the stack pins to 6.28+", () => {
    const { json } = synthGateway();
    expect(json.terraform.required_providers.aws!.version).toBe(AWS_PROVIDER_VERSION);
    const relaxed = forMirroredProvider(json, "5.100.0");
    expect(relaxed.terraform.required_providers).toEqual({ aws: { source: "aws", version: "5.100.0" } });
  });
});

const tools = locateTerraform(process.env);

if (tools.ok) {
  describe(`terraform validate (${tools.terraform}, hashicorp/aws ${tools.providerVersion} from ${tools.mirror})`, () => {
    let workspace: TerraformWorkspace;
    const dirs = new Map<string, string>();

    beforeAll(async () => {
      workspace = await TerraformWorkspace.create(tools);
      for (const variant of STACK_VARIANTS) {
        const { json } = synthGateway(variant.config());
        dirs.set(
          variant.name,
          await workspace.write(variant.name, forMirroredProvider(json, tools.providerVersion)),
        );
      }
      // One init for all: the variants differ in resources and backend, not in required providers.
      for (const dir of dirs.values()) await workspace.init(dir);
    }, 120_000);

    afterAll(async () => {
      await workspace?.dispose();
    });

    it.each(STACK_VARIANTS.map((v) => v.name))(
      "accepts the %s stack with no errors",
      async (name) => {
        const result = await workspace.validate(dirs.get(name)!);
        const errors = result.diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
        expect({ valid: result.valid, error_count: result.error_count, errors }).toEqual({
          valid: true,
          error_count: 0,
          errors: [],
        });
      },
      60_000,
    );
  });
} else {
  // Without Terraform or a mirror there is nothing to run: one test says so and passes, except on CI
  // when REQUIRE_TERRAFORM=1 promises the tools are installed; there a missing tool is a failure.
  const required = process.env.CI === "true" && process.env.REQUIRE_TERRAFORM === "1";
  describe("terraform validate", () => {
    it(`does not run: ${tools.reason}`, () => {
      process.stderr.write(`terraform validate not run: ${tools.reason}\n`);
      expect({ required, reason: tools.reason }).toEqual({ required: false, reason: tools.reason });
    });
  });
}
