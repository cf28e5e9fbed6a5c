/**
 * Terraform-level checks that need no Terraform: every argument and nested block of every
 * synthesized variant exists in the provider schema of the @cdktf/provider-aws bindings, and every
 * reference resolves to something the configuration declares. The tests at the end show that both
 * checks fail on an injected mistake.
 */
import { PROVIDER_6_ONLY } from "./support/provider-6-only";
import { type Block, findBlock, type Synthesized, synthGateway } from "./support/synth";
import {
  type Allowances,
  bindingSchema,
  referenceProblems,
  schemaProblems,
  traversals,
} from "./support/terraform-schema";
import { STACK_VARIANTS } from "./support/variants";

const PREFIX = "webhook-gateway-dev";
const SCHEMA_PROBLEM = "no argument or block";

/**
 * The 6.x-only attributes (support/provider-6-only.ts) the bindings, generated from provider 6.25.0,
 * do not know: accepted on their resource type only.
 */
const allowances: Allowances = Object.fromEntries(
  PROVIDER_6_ONLY.filter((a) => !bindingSchema("resource", a.resourceType).attributes.has(a.attribute)).map(
    (a) => [a.resourceType, [a.attribute]],
  ),
);

describe("the schema read from the bindings", () => {
  it("has the arguments and nested blocks of a resource at every level", () => {
    const fn = bindingSchema("resource", "aws_lambda_function");
    expect([...fn.attributes]).toEqual(
      expect.arrayContaining([
        "function_name",
        "handler",
        "runtime",
        "memory_size",
        "reserved_concurrent_executions",
      ]),
    );
    expect(fn.attributes.has("environment")).toBe(false);
    expect([...fn.blocks.get("environment")!.attributes]).toEqual(["variables"]);
    expect([...fn.blocks.get("tracing_config")!.attributes]).toEqual(["mode"]);
    const statement = bindingSchema("data", "aws_iam_policy_document").blocks.get("statement")!;
    expect([...statement.blocks.get("principals")!.attributes]).toEqual(["identifiers", "type"]);
    expect([...bindingSchema("provider", "aws").blocks.get("default_tags")!.attributes]).toEqual(["tags"]);
  });

  it("lacks, of the 6.x-only attributes, only invoked_via_function_url (added in 6.28.0)", () => {
    expect(allowances).toEqual({ aws_lambda_permission: ["invoked_via_function_url"] });
  });

  it("finds the traversals in an expression, not its quoted keys, function names or literals", () => {
    expect(
      traversals(
        `jsonencode({"arn" = aws_sqs_queue.q.arn, "n" = 1.5, "s" = "\${data.aws_iam_policy_document.d.json}"})`,
      ),
    ).toEqual(["aws_sqs_queue.q.arn", "data.aws_iam_policy_document.d.json"]);
  });
});

describe.each(STACK_VARIANTS.map((variant) => [variant.name, variant] as const))(
  "the %s stack",
  (_, variant) => {
    let json: Synthesized;

    beforeAll(() => {
      ({ json } = synthGateway(variant.config()));
    });

    it("uses only arguments and blocks of the provider schema (and the 6.x-only allowance)", () => {
      expect(schemaProblems(json, allowances)).toEqual([]);
    });

    it("references only resources, data sources, variables and locals it declares, by attributes they have", () => {
      expect(referenceProblems(json)).toEqual([]);
    });
  },
);

describe("the checks", () => {
  let json: Synthesized;
  let queue: { id: string; block: Block };
  let fn: { id: string; block: Block };

  beforeAll(() => {
    ({ json } = synthGateway());
    queue = findBlock(json, "aws_sqs_queue", "name", `${PREFIX}-github`);
    fn = findBlock(json, "aws_lambda_function", "function_name", `${PREFIX}-github`);
  });

  /** A copy of the default stack with one block changed. */
  function withChange(
    type: string,
    id: string,
    change: (block: Block) => void,
    section: "resource" | "data" = "resource",
  ) {
    const copy = structuredClone(json) as unknown as Record<
      "resource" | "data",
      Record<string, Record<string, Block>>
    >;
    change(copy[section][type]![id]!);
    return copy;
  }

  it("reject an unknown argument on a queue", () => {
    const changed = withChange("aws_sqs_queue", queue.id, (block) => {
      block.bogus_attribute = true;
    });
    expect(schemaProblems(changed, allowances)).toEqual([
      `aws_sqs_queue.${queue.id}: ${SCHEMA_PROBLEM} "bogus_attribute" in the bindings' schema`,
    ]);
  });

  it("reject an unknown argument inside a nested block, and inside a list block of a data source", () => {
    const changed = withChange("aws_lambda_function", fn.id, (block) => {
      (block.environment as Block).bogus_nested = {};
    });
    expect(schemaProblems(changed, allowances)).toEqual([
      `aws_lambda_function.${fn.id}.environment: ${SCHEMA_PROBLEM} "bogus_nested" in the bindings' schema`,
    ]);
    const [documentId] = Object.keys(json.data.aws_iam_policy_document);
    const document = withChange(
      "aws_iam_policy_document",
      documentId!,
      (block) => {
        (block.statement as Block[])[0]!.principal = [];
      },
      "data",
    );
    expect(schemaProblems(document, allowances)).toEqual([
      `data.aws_iam_policy_document.${documentId}.statement[0]: ${SCHEMA_PROBLEM} "principal" in the bindings' schema`,
    ]);
  });

  it("reject invoked_via_function_url without the 6.x-only allowance, and on any other resource type", () => {
    const permission = findBlock(
      json,
      "aws_lambda_permission",
      "statement_id",
      "AllowInvokeThroughFunctionUrl",
    );
    expect(schemaProblems(json)).toEqual([
      `aws_lambda_permission.${permission.id}: ${SCHEMA_PROBLEM} "invoked_via_function_url" in the bindings' schema`,
    ]);
    const changed = withChange("aws_lambda_function", fn.id, (block) => {
      block.invoked_via_function_url = true;
    });
    expect(schemaProblems(changed, allowances)).toEqual([
      `aws_lambda_function.${fn.id}: ${SCHEMA_PROBLEM} "invoked_via_function_url" in the bindings' schema`,
    ]);
  });

  it("reject a resource type the bindings do not have", () => {
    const changed = structuredClone(json) as unknown as Record<string, Record<string, unknown>>;
    changed.resource!.aws_sqs_queues = { q: {} };
    expect(schemaProblems(changed, allowances)).toEqual([
      `aws_sqs_queues: no resource "aws_sqs_queues" in @cdktf/provider-aws (no lib/sqs-queues)`,
    ]);
  });

  it("reject a dangling reference to a resource, a data source, a variable and a local", () => {
    const changed = withChange("aws_sqs_queue", queue.id, (block) => {
      block.redrive_policy = `\${jsonencode({"deadLetterTargetArn" = aws_sqs_queue.missing.arn, "maxReceiveCount" = 5})}`;
      block.policy = `\${data.aws_iam_policy_document.missing.json}`;
      block.name = `\${var.stage}-\${local.suffix}`;
    });
    const at = `resource.aws_sqs_queue.${queue.id}`;
    expect(referenceProblems(changed).sort()).toEqual(
      [
        `${at}.redrive_policy: aws_sqs_queue.missing.arn → no resource aws_sqs_queue.missing`,
        `${at}.policy: data.aws_iam_policy_document.missing.json → no data source aws_iam_policy_document.missing`,
        `${at}.name: var.stage → no variable "stage"`,
        `${at}.name: local.suffix → no local "suffix"`,
      ].sort(),
    );
  });

  it("reject a reference to an attribute the resource does not have, and a dangling depends_on", () => {
    const changed = withChange("aws_lambda_function", fn.id, (block) => {
      (block.environment as { variables: Record<string, string> }).variables.QUEUE_URL =
        `\${aws_sqs_queue.${queue.id}.urll}`;
      block.depends_on = ["aws_cloudwatch_log_group.missing"];
    });
    const at = `resource.aws_lambda_function.${fn.id}`;
    expect(referenceProblems(changed)).toEqual([
      `${at}.depends_on[0]: aws_cloudwatch_log_group.missing → no resource aws_cloudwatch_log_group.missing`,
      `${at}.environment.variables.QUEUE_URL: aws_sqs_queue.${queue.id}.urll → aws_sqs_queue has no attribute "urll" in the bindings`,
    ]);
  });
});
