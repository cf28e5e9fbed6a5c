import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { parseArgs } from "node:util";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SecretNames } from "../../config/gateway-config";
import { loadGatewayConfig } from "../../config/load";
import { ENV } from "../../contract/environment";
import { UsageError } from "../errors";
import { putWebhookSecret, withEnvSecret } from "../ops/secrets";
import { processIO } from "./io";
import { type SecretsRotateDeps, secretsRetireCommand, secretsRotateCommand } from "./secrets-rotate";

export const SECRETS_HELP = `Usage: webhook-gateway secrets set github|slack|slack-bot-token [options]
       webhook-gateway secrets rotate github|slack ...   (see "secrets rotate --help")
       webhook-gateway secrets retire github|slack ...

Stores a secret where the gateway reads it: the stage's Secrets Manager secret
(<name>/<stage>/github-webhook-secret, …/slack-signing-secret, …/slack-bot-token), or with
--local the .env file of the local runtime. The value is read from stdin or from a variable,
never from the command line, and is never printed.

Options:
  --value-from-stdin       read the value from stdin (trailing newline removed)
  --value-from-env <NAME>  read the value from an environment variable
  --rotate                 keep the current secret as the previous one: {"current","previous"} in
                           AWS, NAME=new,old in .env; the edge accepts both until you set the new
                           one alone (webhook secrets only)
  --stage <stage>          the stage (default GATEWAY_STAGE, gateway.config.json, then dev)
  --local                  write .env instead of Secrets Manager
  --env-file <path>        the file --local writes (default .env)
  -h, --help               this help

Example:
  read -rs S && printf %s "$S" | webhook-gateway secrets set github --value-from-stdin --stage prod

AWS credentials and region come from the usual sources (the stage's region when configured);
AWS_ENDPOINT_URL_SECRETS_MANAGER points the client elsewhere.`;

const KINDS: Record<string, { secret: keyof SecretNames; variable: string; rotatable: boolean }> = {
  github: { secret: "githubWebhook", variable: ENV.githubWebhookSecret, rotatable: true },
  slack: { secret: "slackSigningSecret", variable: ENV.slackSigningSecret, rotatable: true },
  "slack-bot-token": { secret: "slackBotToken", variable: ENV.slackBotToken, rotatable: false },
};

/** What `secrets set|rotate|retire` touch outside themselves; tests pass their own. */
export type SecretsDeps = SecretsRotateDeps;

/** `webhook-gateway secrets set …`: returns the exit code. */
export async function secretsCommand(argv: string[], deps: SecretsDeps = {}): Promise<number> {
  if (argv[0] === "rotate") return secretsRotateCommand(argv.slice(1), deps);
  if (argv[0] === "retire") return secretsRetireCommand(argv.slice(1), deps);
  const io = { ...processIO(), ...deps };
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      "value-from-stdin": { type: "boolean", default: false },
      "value-from-env": { type: "string" },
      rotate: { type: "boolean", default: false },
      stage: { type: "string" },
      local: { type: "boolean", default: false },
      "env-file": { type: "string", default: ".env" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(SECRETS_HELP);
    return 0;
  }
  const [action, kindName, ...extra] = positionals;
  if (action !== "set")
    throw new UsageError(
      action
        ? `unknown action "${action}": use set, rotate or retire`
        : "missing action: set, rotate or retire",
    );
  const kind = kindName ? KINDS[kindName] : undefined;
  if (!kind || !Object.hasOwn(KINDS, kindName!)) {
    throw new UsageError(`secrets set needs one of ${Object.keys(KINDS).join(", ")}`);
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (values.rotate && !kind.rotatable)
    throw new UsageError(`--rotate applies to webhook secrets, not ${kindName}`);
  if (values.local && values.stage) throw new UsageError("--stage does not apply with --local");
  if (values["value-from-stdin"] === Boolean(values["value-from-env"])) {
    throw new UsageError("give exactly one of --value-from-stdin or --value-from-env NAME");
  }
  const value = values["value-from-stdin"]
    ? (await io.readStdin()).replace(/\r?\n$/, "")
    : io.env[values["value-from-env"]!];
  if (!value || value.trim() !== value || value.length === 0) {
    throw new UsageError(
      values["value-from-stdin"]
        ? "the value from stdin is empty or has surrounding spaces"
        : `${values["value-from-env"]} is not set, empty, or has surrounding spaces`,
    );
  }

  if (values.local) {
    const path = isAbsolute(values["env-file"]) ? values["env-file"] : join(io.cwd, values["env-file"]);
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    writeFileSync(path, withEnvSecret(text, kind.variable, value, values.rotate), { mode: 0o600 });
    chmodSync(path, 0o600); // the mode above only applies to a new file
    io.out(
      `Set ${kind.variable} in ${values["env-file"]}${values.rotate ? " (new first, previous kept second)" : ""}; restart npm start to use it.`,
    );
    return 0;
  }

  const config = loadGatewayConfig({
    root: io.cwd,
    env: { ...io.env, ...(values.stage ? { GATEWAY_STAGE: values.stage } : {}) },
  });
  const secretId = config.secretNames[kind.secret];
  const client = deps.secretsManager ?? new SecretsManagerClient({ region: config.region });
  const result = await putWebhookSecret(client, { secretId, value, rotate: values.rotate });
  io.out(`Stored a new value of ${secretId}${result.versionId ? ` (version ${result.versionId})` : ""}.`);
  if (result.rotated) {
    io.out(
      "Both the new and the previous secret are accepted now (the edge re-reads within 5 minutes). Once the provider signs with the new one, store it alone: run again without --rotate.",
    );
  }
  return 0;
}
