import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, type TerraformStack } from "cdktf";
import type { GatewayConfig } from "../src/config/gateway-config";

/**
 * The AWS provider version the stack needs. `aws_lambda_permission.invoked_via_function_url`
 * (the second permission of a public function URL) first shipped in terraform-provider-aws 6.28.0:
 * CHANGELOG.md, "## 6.28.0 (January 7, 2026)", ENHANCEMENTS: "resource/aws_lambda_permission: Add
 * `invoked_via_function_url` argument (#44858)" — https://github.com/hashicorp/terraform-provider-aws/pull/44858.
 * The prebuilt @cdktf/provider-aws 21.22 bindings were generated from 6.25.0 and would pin that.
 */
export const AWS_PROVIDER_VERSION = ">= 6.28.0, < 7.0.0";

/** The Terraform CLI the stack needs: 1.10 brought the S3 backend's `use_lockfile`. */
export const TERRAFORM_VERSION = ">= 1.10";

/**
 * Configures the AWS provider (region, default tags), pins its version in `required_providers`
 * and Terraform's in `required_version`,
 * and selects the S3 backend when the configuration names a state bucket (local state otherwise).
 *
 * @example
 * configureProvider(stack, config);
 */
export function configureProvider(stack: TerraformStack, config: GatewayConfig): AwsProvider {
  const provider = new AwsProvider(stack, "aws", {
    region: config.region,
    defaultTags: [{ tags: config.tags }],
  });
  stack.addOverride("terraform.required_providers.aws.version", AWS_PROVIDER_VERSION);
  // cdktf has no property for it: an override on the stack's terraform block.
  stack.addOverride("terraform.required_version", TERRAFORM_VERSION);
  if (config.backend) {
    const backend = new S3Backend(stack, {
      bucket: config.backend.bucket,
      key: config.backend.key,
      region: config.backend.region,
      encrypt: true,
    });
    // S3-native state locking (Terraform >= 1.10); no DynamoDB lock table to manage.
    backend.addOverride("use_lockfile", true);
  }
  return provider;
}
