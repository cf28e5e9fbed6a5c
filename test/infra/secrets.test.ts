import { synthGateway, TEST_SECRETS } from "./support/synth";

// Regression guard: secrets reach the functions only as Secrets Manager ARNs. Even with the
// developer's own secrets in the environment (as `npm start` uses them), nothing in the
// synthesized configuration, and so nothing in the Terraform state, holds a secret value.
describe("secrets in the synthesized configuration", () => {
  const saved: Record<string, string | undefined> = {};
  let text: string;

  beforeAll(() => {
    for (const [name, value] of Object.entries(TEST_SECRETS)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    ({ text } = synthGateway());
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it.each(Object.entries(TEST_SECRETS))("never contains the value of %s", (_name, value) => {
    expect(text).not.toContain(value);
  });

  it("has no secret version resource, so no value goes through Terraform", () => {
    expect(text).not.toContain("aws_secretsmanager_secret_version");
  });

  it("passes secrets to functions by ARN only", () => {
    const json = JSON.parse(text) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    for (const fn of Object.values(json.resource.aws_lambda_function ?? {})) {
      const variables = (fn.environment as { variables: Record<string, string> }).variables;
      expect(Object.keys(variables)).not.toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^(GITHUB_WEBHOOK_SECRET|SLACK_SIGNING_SECRET|SLACK_BOT_TOKEN)$/),
        ]),
      );
      for (const [name, value] of Object.entries(variables)) {
        if (name.endsWith("_SECRET_ID"))
          expect(value).toMatch(/^\$\{aws_secretsmanager_secret\.[^.]+\.arn\}$/);
      }
    }
  });
});
