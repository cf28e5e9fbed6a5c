import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";

/** One Allow statement: exact actions on exact resources, narrowed further by its conditions. */
export interface PolicyStatement {
  sid: string;
  actions: string[];
  resources: string[];
  condition?: { test: string; variable: string; values: string[] }[];
}

export interface FunctionRoleProps {
  /** Role name (the function's name). */
  name: string;
  statements: PolicyStatement[];
}

/**
 * The execution role of one function: assumable by Lambda only, with one inline policy built from
 * exact statements (no managed policies, so the whole grant is visible in the synthesized JSON).
 *
 * @example
 * new FunctionRole(this, "role", { name: "gw-dev-ingest", statements: [{ sid: "Send", actions: ["sqs:SendMessage"], resources: [queue.arn] }] });
 */
export class FunctionRole extends Construct {
  readonly role: IamRole;
  /** The inline policy; depend on it before anything checks the role's permissions. */
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: FunctionRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      statement: [
        {
          sid: "LambdaAssumeRole",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
        },
      ],
    });
    this.role = new IamRole(this, "role", { name: props.name, assumeRolePolicy: trust.json });
    const policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: props.statements.map((s) => ({
        sid: s.sid,
        effect: "Allow",
        actions: s.actions,
        resources: s.resources,
        condition: s.condition,
      })),
    });
    this.policy = new IamRolePolicy(this, "inline", {
      name: "least-privilege",
      role: this.role.id,
      policy: policy.json,
    });
  }
}
