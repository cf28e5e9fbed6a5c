import { Logger } from "@aws-lambda-powertools/logger";
import { lazyLogger, powertoolsLogLevel } from "../../../src/edge/lazy-logger";

const NAMES = ["AWS_LAMBDA_LOG_LEVEL", "POWERTOOLS_LOG_LEVEL", "LOG_LEVEL", "POWERTOOLS_LOGGER_SAMPLE_RATE"];
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));

function setEnv(env: Record<string, string>): void {
  for (const name of NAMES) delete process.env[name];
  Object.assign(process.env, env);
}

afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

test.each<Record<string, string>>([
  {},
  { POWERTOOLS_LOG_LEVEL: "WARN" },
  { LOG_LEVEL: "ERROR" },
  { POWERTOOLS_LOG_LEVEL: "", LOG_LEVEL: "DEBUG" },
  { POWERTOOLS_LOG_LEVEL: "DEBUG", LOG_LEVEL: "ERROR" },
  { POWERTOOLS_LOG_LEVEL: "warn" },
  { POWERTOOLS_LOG_LEVEL: " ERROR " },
  { POWERTOOLS_LOG_LEVEL: "SILENT" },
  { AWS_LAMBDA_LOG_LEVEL: "WARN", POWERTOOLS_LOG_LEVEL: "WARN" },
  { AWS_LAMBDA_LOG_LEVEL: "ERROR", POWERTOOLS_LOG_LEVEL: "DEBUG" },
  { AWS_LAMBDA_LOG_LEVEL: "TRACE", POWERTOOLS_LOG_LEVEL: "WARN" },
  { AWS_LAMBDA_LOG_LEVEL: "FATAL" },
  { AWS_LAMBDA_LOG_LEVEL: "info", POWERTOOLS_LOG_LEVEL: "ERROR" },
])("the level read from %j is the one a Powertools Logger takes", (env) => {
  setEnv(env);
  const logger = new Logger({ serviceName: "level-check" });
  expect(powertoolsLogLevel(process.env)).toBe(logger.level);
});

test("with log sampling configured, the level is left to the Logger and it is built at once", () => {
  const env = { POWERTOOLS_LOGGER_SAMPLE_RATE: "0.5", POWERTOOLS_LOG_LEVEL: "WARN" };
  expect(powertoolsLogLevel(env)).toBeUndefined();
  const built = new Logger({ serviceName: "sampled" });
  let creations = 0;
  expect(
    lazyLogger(() => {
      creations++;
      return built;
    }, env),
  ).toBe(built);
  expect(creations).toBe(1);
});

describe("a lazy logger", () => {
  const warnings: unknown[][] = [];
  let creations = 0;
  const create = () => {
    creations++;
    const logger = new Logger({ serviceName: "lazy" });
    logger.warn = (...args: unknown[]) => void warnings.push(args);
    return logger;
  };

  beforeEach(() => {
    setEnv({ AWS_LAMBDA_LOG_LEVEL: "WARN", POWERTOOLS_LOG_LEVEL: "WARN" });
    warnings.length = 0;
    creations = 0;
  });

  test("answers its level and resets its keys without building the Logger", () => {
    const logger = lazyLogger(create, process.env);

    expect(logger.level).toBe(16);
    logger.resetKeys();
    expect(creations).toBe(0);
  });

  test("builds the Logger once, on the first line, and hands it every call", () => {
    const logger = lazyLogger(create, process.env);

    logger.warn("request rejected", { provider: "github", reason: "invalid_signature" });
    logger.setCorrelationId("github:d-1");
    logger.warn("event matched no route", { provider: "github" });

    expect(creations).toBe(1);
    expect(warnings).toEqual([
      ["request rejected", { provider: "github", reason: "invalid_signature" }],
      ["event matched no route", { provider: "github" }],
    ]);
    expect(logger.level).toBe(16);
  });
});
