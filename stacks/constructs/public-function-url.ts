import { LambdaFunctionUrl } from "@cdktf/provider-aws/lib/lambda-function-url";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { Construct } from "constructs";

export interface PublicFunctionUrlProps {
  functionName: string;
}

/**
 * A function URL with auth type NONE (the edge verifies signatures itself) and the two resource
 * policy statements such a URL needs since October 2025 (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html):
 * `lambda:InvokeFunctionUrl` for auth type NONE, and `lambda:InvokeFunction` limited to calls that
 * come through the function URL, so the function cannot be invoked directly by anyone.
 *
 * `invoked_via_function_url` arrived in terraform-provider-aws 6.28.0 (CHANGELOG 6.28.0, January 7
 * 2026: "resource/aws_lambda_permission: Add `invoked_via_function_url` argument", hashicorp/terraform-provider-aws#44858);
 * the prebuilt @cdktf/provider-aws bindings (provider 6.25.0) predate it, hence the override and the
 * provider pin in provider.ts. Statement ids differ from the ones the provider adds on its own when
 * it creates a NONE URL (`FunctionURLAllowPublicAccess`, `FunctionURLAllowInvokeAction`), so they never
 * collide; ours are the ones tracked in the Terraform state.
 *
 * @example
 * const url = new PublicFunctionUrl(this, "url", { functionName: edge.fn.functionName });
 * url.url.functionUrl // "https://<id>.lambda-url.<region>.on.aws/"
 */
export class PublicFunctionUrl extends Construct {
  readonly url: LambdaFunctionUrl;

  constructor(scope: Construct, id: string, props: PublicFunctionUrlProps) {
    super(scope, id);
    this.url = new LambdaFunctionUrl(this, "url", {
      functionName: props.functionName,
      authorizationType: "NONE",
      invokeMode: "BUFFERED",
    });
    new LambdaPermission(this, "invoke-url", {
      statementId: "AllowPublicFunctionUrl",
      action: "lambda:InvokeFunctionUrl",
      functionName: props.functionName,
      principal: "*",
      functionUrlAuthType: "NONE",
    });
    const invoke = new LambdaPermission(this, "invoke-function", {
      statementId: "AllowInvokeThroughFunctionUrl",
      action: "lambda:InvokeFunction",
      functionName: props.functionName,
      principal: "*",
    });
    invoke.addOverride("invoked_via_function_url", true);
  }
}
