/**
 * `gateway.config.json` checked strictly (issue 16): a syntax error by line and column, an unknown
 * key at any level with the key most likely meant, a value of the wrong type by its path; and the
 * limits AWS would otherwise refuse at apply (Lambda's reserved variable names, the claim-check
 * expiry against the longest a message can live, the redelivery's reserved concurrency).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closest } from "../../src/config/file-schema";
import { loadGatewayConfig, readConfigFile } from "../../src/config/load";
import { GatewayConfigError } from "../../src/config/validate";

const load = (file: object = {}, env: Record<string, string> = {}) =>
  loadGatewayConfig({ root: "/repo", env, file });

/** Writes `text` as gateway.config.json in a fresh directory; returns the directory and the file's path. */
function configFile(text: string): { root: string; path: string } {
  const root = mkdtempSync(join(tmpdir(), "gateway-config-"));
  writeFileSync(join(root, "gateway.config.json"), text);
  return { root, path: join(root, "gateway.config.json") };
}

describe("a syntax error", () => {
  it.each([
    [
      "a missing comma",
      '{\n  "stage": "prod",\n  "alarms": {}\n  "edge": {}\n}',
      "4:3",
      `expected ',' or '}', found '"'`,
    ],
    ["a trailing comma", '{\n  "stage": "prod",\n}\n', "3:1", "expected a double-quoted key, found '}'"],
    ["a misspelt literal", '{\n  "deletionProtection": tru\n}', "2:25", "expected a value, found 't'"],
    ["a bare word", '{ "stage": prod }', "1:12", "expected a value, found 'p'"],
    [
      "an unterminated string",
      '{\n  "stage": "prod\n}',
      "2:17",
      "expected '\"' to close the string, found a line break",
    ],
    ["an empty file", "", "1:1", "expected a value, found the end of the file"],
    [
      "a truncated file",
      '{\n  "consumers": [\n    { "name": "slack"',
      "3:22",
      "expected ',' or '}', found the end of the file",
    ],
    ["text after the object", '{ "stage": "prod" }\n}', "2:1", "expected the end of the file, found '}'"],
  ])("is reported by line and column: %s", (_what, text, position, reason) => {
    const { root, path } = configFile(text);
    expect(() => readConfigFile(root, {})).toThrow(
      new GatewayConfigError(`${path}:${position}: invalid JSON: ${reason}`),
    );
  });

  it("is located even where V8 only quotes a truncated excerpt (no offset, a misleading prefix)", () => {
    const text = `{\n  "tags": { "team": "platform", "cost-centre": "research-and-development" },\n  "stage": prod\n}`;
    expect(() => JSON.parse(text)).toThrow(/is not valid JSON/);
    const { root, path } = configFile(text);
    expect(() => readConfigFile(root, {})).toThrow(`${path}:3:12: invalid JSON: expected a value, found 'p'`);
  });

  it("does not hide behind a byte order mark", () => {
    const { root } = configFile('\uFEFF{ "stage": "qa" }');
    expect(readConfigFile(root, {})).toEqual({ stage: "qa" });
  });
});

describe("an unknown key", () => {
  it.each([
    [{ alarm: {} }, 'alarm is not a known key (did you mean "alarms"?)'],
    [{ Stage: "prod" }, 'Stage is not a known key (did you mean "stage"?)'],
    [
      { edge: { reservedConcurency: 5 } },
      'edge.reservedConcurency is not a known key (did you mean "reservedConcurrency"?)',
    ],
    [
      { consumers: [{ name: "github" }, { name: "slack", entyr: "x.ts" }] },
      'consumers[1].entyr is not a known key (did you mean "entry"?)',
    ],
    [
      { consumers: [{ name: "github", timeout: 60 }] },
      'consumers[0].timeout is not a known key (did you mean "timeoutSeconds"?)',
    ],
    [
      { consumers: [{ name: "github", access: { archive: true } }] },
      'consumers[0].access.archive is not a known key (did you mean "archiveTable"?)',
    ],
    [
      { redelivery: { repo: "octo/a", hookid: 1 } },
      'redelivery.hookid is not a known key (did you mean "hookId"?)',
    ],
    [
      { secretNames: { githubWebhookSecret: "x" } },
      'secretNames.githubWebhookSecret is not a known key (did you mean "githubWebhook"?)',
    ],
    [
      { edge: { vpc: "x" } },
      "edge.vpc is not a known key (known: memoryMb, timeoutSeconds, reservedConcurrency)",
    ],
  ])("is rejected with the likeliest meant one: %j", (file, message) => {
    expect(() => load(file)).toThrow(new GatewayConfigError(`gateway config: ${message}`));
  });

  it("is rejected in the file too, prefixed with the file's path", () => {
    const { root, path } = configFile(
      '{ "stage": "qa", "alarm": { "topicArn": "arn:aws:sns:us-east-1:1:t" } }',
    );
    expect(() => readConfigFile(root, {})).toThrow(
      new GatewayConfigError(`${path}: alarm is not a known key (did you mean "alarms"?)`),
    );
  });

  it("suggests nothing far from every known key", () => {
    expect(closest("alarm", ["alarms", "edge"])).toBe("alarms");
    expect(closest("timeout", ["timeoutSeconds", "memoryMb"])).toBe("timeoutSeconds");
    expect(closest("vpc", ["memoryMb", "timeoutSeconds"])).toBeUndefined();
    expect(closest("e", ["edge", "entry"])).toBeUndefined();
  });
});

describe("a value of the wrong type", () => {
  it.each([
    [
      { consumers: [{ name: "github" }, { name: "slack", enabled: "no" }] },
      'consumers[1].enabled must be true or false, got "no"',
    ],
    [{ stage: 5 }, "stage must be a string, got 5"],
    [
      { edge: { reservedConcurrency: "none" } },
      'edge.reservedConcurrency must be a whole number or null, got "none"',
    ],
    [{ edge: { memoryMb: 512.5 } }, "edge.memoryMb must be a whole number, got 512.5"],
    [{ tags: { team: 1 } }, 'tags must be an object of strings, got {"team":1}'],
    [
      { consumers: [{ name: "github", types: "com.github.*" }] },
      'consumers[0].types must be an array of strings, got "com.github.*"',
    ],
    [{ consumers: { name: "github" } }, 'consumers must be an array, got {"name":"github"}'],
    [{ consumers: ["github"] }, 'consumers[0] must be an object, got "github"'],
    [{ consumers: [{ entry: "handlers/consumers/x.ts" }] }, "consumers[0].name is required"],
    [
      { redelivery: { app: true, reservedConcurrency: "1" } },
      'redelivery.reservedConcurrency must be a whole number or null, got "1"',
    ],
    [{ alarms: null }, "alarms must be an object, got null"],
    [{ backend: { bucket: "b" } }, "backend.key is required"],
  ])("is rejected by its path: %j", (file, message) => {
    expect(() => load(file)).toThrow(new GatewayConfigError(`gateway config: ${message}`));
  });

  it("is rejected in the file with the file's path", () => {
    const { root, path } = configFile(
      '{ "consumers": [ { "name": "github" }, { "name": "slack", "enabled": "no" } ] }',
    );
    expect(() => readConfigFile(root, {})).toThrow(
      new GatewayConfigError(`${path}: consumers[1].enabled must be true or false, got "no"`),
    );
  });
});

describe("Lambda's reserved environment variable names", () => {
  it.each(["AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME", "_HANDLER", "LAMBDA_TASK_ROOT", "AWS_ACCESS_KEY_ID"])(
    "refuses %s in a consumer's environment",
    (name) => {
      expect(() => load({ consumers: [{ name: "github", environment: { [name]: "x" } }] })).toThrow(
        new GatewayConfigError(
          `gateway config: consumers.github.environment.${name} is reserved by the Lambda runtime (it sets it; a function may not)`,
        ),
      );
    },
  );

  it("accepts the variables Lambda lets a function set", () => {
    const environment = { AWS_NODEJS_CONNECTION_REUSE_ENABLED: "1", AWS_LAMBDA_EXEC_WRAPPER: "/opt/wrapper" };
    expect(load({ consumers: [{ name: "github", environment }] }).consumers[1]!.environment).toEqual(
      environment,
    );
  });

  it("refuses a one-letter name (Lambda wants a letter and at least one more character)", () => {
    expect(() => load({ consumers: [{ name: "github", environment: { X: "1" } }] })).toThrow(
      /consumers\.github\.environment\.X must be a string under a valid variable name/,
    );
  });
});

describe("claim-check expiry", () => {
  it("defaults to 23 days, above the longest a message can live (4 + 14 + 4 days)", () => {
    expect(load().claimCheckExpirationDays).toBe(23);
    expect(load({ claimCheckExpirationDays: 22 }).claimCheckExpirationDays).toBe(22);
  });

  it("refuses less than a message can live, saying why", () => {
    expect(() => load({ claimCheckExpirationDays: 14 })).toThrow(
      new GatewayConfigError(
        "gateway config: claimCheckExpirationDays must be at least 22: a message can live 22 days (queue retention, DLQ retention, queue retention again after a redrive), got 14",
      ),
    );
  });
});

describe("redelivery reserved concurrency", () => {
  it("is 1 by default, set in the file or by GATEWAY_REDELIVERY_RESERVED_CONCURRENCY (a number or none)", () => {
    const file = { redelivery: { app: true } };
    expect(load(file).redelivery.reservedConcurrency).toBe(1);
    expect(
      load({ redelivery: { app: true, reservedConcurrency: null } }).redelivery.reservedConcurrency,
    ).toBeNull();
    expect(
      load(file, { GATEWAY_REDELIVERY_RESERVED_CONCURRENCY: "none" }).redelivery.reservedConcurrency,
    ).toBeNull();
    expect(load(file, { GATEWAY_REDELIVERY_RESERVED_CONCURRENCY: "2" }).redelivery.reservedConcurrency).toBe(
      2,
    );
  });

  it.each([
    [
      { redelivery: { app: true, reservedConcurrency: 0 } },
      {},
      /redelivery\.reservedConcurrency must be a whole number from 1 to 10000, got 0/,
    ],
    [
      { redelivery: { app: true } },
      { GATEWAY_REDELIVERY_RESERVED_CONCURRENCY: "one" },
      /GATEWAY_REDELIVERY_RESERVED_CONCURRENCY must be a whole number or none, got "one"/,
    ],
    [
      {},
      { GATEWAY_EDGE_RESERVED_CONCURRENCY: "lots" },
      /GATEWAY_EDGE_RESERVED_CONCURRENCY must be a whole number or none, got "lots"/,
    ],
  ])("refuses %j %j", (file, env, message) => {
    expect(() => load(file, env)).toThrow(message);
  });
});
