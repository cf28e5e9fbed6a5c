/**
 * The project's command line: `webhook-gateway <command> [options]` (`npx webhook-gateway` or
 * `npm run cli --`). Every command has `--help`; errors print one line and exit non-zero.
 */
import packageJson from "../../package.json";
import { archiveCommand } from "./commands/archive";
import { dlqCommand } from "./commands/dlq";
import { fixturesCommand } from "./commands/fixtures";
import { redeliverCommand } from "./commands/redeliver";
import { registerCommand } from "./commands/register";
import { REPLAY_HELP, replayCommand } from "./commands/replay";
import { secretsCommand } from "./commands/secrets";
import { UsageError } from "./errors";

const COMMANDS: Record<string, { summary: string; run: (argv: string[]) => Promise<number> }> = {
  replay: { summary: "sign and send recorded deliveries to a gateway", run: replayCommand },
  secrets: { summary: "set or rotate the webhook secrets (Secrets Manager or .env)", run: secretsCommand },
  dlq: { summary: "move a consumer's dead letters back to its queue", run: dlqCommand },
  archive: { summary: "replay archived events to a consumer's queue", run: archiveCommand },
  redeliver: { summary: "redeliver GitHub deliveries whose attempts all failed", run: redeliverCommand },
  register: { summary: "register the gateway's GitHub webhook or Slack app manifest", run: registerCommand },
  fixtures: {
    summary: "record deliveries as fixtures (local archive, GitHub, a stage)",
    run: fixturesCommand,
  },
};

const HELP = `Usage: webhook-gateway <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)}${c.summary}`)
  .join("\n")}

Run "webhook-gateway <command> --help" for a command's options; --version prints the version.`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(HELP);
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v") {
    console.log(packageJson.version);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${HELP}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${name}: ${(error as Error).message} (see --help)`);
      return 2;
    }
    console.error(`${name}: ${(error as Error).message}`);
    return 1;
  }
}

export { REPLAY_HELP };
