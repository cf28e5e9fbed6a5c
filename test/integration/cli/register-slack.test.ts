import { registerSlackCommand } from "../../../src/cli/commands/register";
import { type SlackApiFake, startSlackApiFake } from "../../helpers/slack-api-fake";

const URL_BASE = "https://abc.lambda-url.us-east-1.on.aws/";
const REQUEST_URL = "https://abc.lambda-url.us-east-1.on.aws/slack";

let slack: SlackApiFake;
let out: string[];
let err: string[];

beforeEach(async () => {
  slack = await startSlackApiFake();
  out = [];
  err = [];
});
afterEach(() => slack.stop());

const run = (argv: string[], env: Record<string, string> = {}) =>
  registerSlackCommand(argv, {
    env: { SLACK_API_URL: slack.apiUrl, ...env },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });

const expectedManifest = {
  display_information: { name: "Gateway" },
  features: {
    bot_user: { display_name: "Gateway", always_online: false },
    app_home: { home_tab_enabled: true, messages_tab_enabled: false },
    slash_commands: [
      { command: "/deploy", url: REQUEST_URL, description: "Runs /deploy", should_escape: false },
      { command: "/echo", url: REQUEST_URL, description: "Runs /echo", should_escape: false },
    ],
  },
  oauth_config: {
    scopes: {
      bot: ["app_mentions:read", "channels:history", "chat:write", "commands", "im:write", "reactions:read"],
    },
  },
  settings: {
    event_subscriptions: {
      request_url: REQUEST_URL,
      bot_events: ["app_mention", "message.channels", "reaction_added", "app_home_opened"],
    },
    interactivity: { is_enabled: true, request_url: REQUEST_URL },
    org_deploy_enabled: false,
    socket_mode_enabled: false,
    token_rotation_enabled: false,
  },
};

test("prints the manifest with every request URL at <url>/slack and calls nothing", async () => {
  const code = await run(["--url", URL_BASE, "--name", "Gateway", "--commands", "/deploy,/echo"]);

  expect(code).toBe(0);
  expect(JSON.parse(out.join("\n"))).toEqual(expectedManifest);
  expect(slack.calls).toEqual([]);
});

test("without slash commands the manifest asks for no commands scope", async () => {
  await run(["--url", URL_BASE, "--commands", ""]);

  const manifest = JSON.parse(out.join("\n"));
  expect(manifest.features.slash_commands).toBeUndefined();
  expect(manifest.oauth_config.scopes.bot).not.toContain("commands");
});

test("--apply sends the manifest to apps.manifest.update with the configuration token", async () => {
  const code = await run(
    ["--url", URL_BASE, "--name", "Gateway", "--commands", "/deploy,/echo", "--apply", "--app-id", "A123"],
    { SLACK_CONFIG_TOKEN: "xoxe.xoxp-config" },
  );

  expect(code).toBe(0);
  expect(slack.calls).toHaveLength(1);
  const [call] = slack.calls;
  expect(call!.method).toBe("apps.manifest.update");
  expect(call!.token).toBe("xoxe.xoxp-config");
  expect(call!.args.app_id).toBe("A123");
  expect(JSON.parse(call!.args.manifest as string)).toEqual(expectedManifest);
  expect(out).toEqual(["Updated the manifest of A123."]);
});

test("a refused update exits 1 with Slack's error", async () => {
  slack.failNext("apps.manifest.update", { error: "invalid_manifest" });

  const code = await run(["--url", URL_BASE, "--apply", "--app-id", "A123"], { SLACK_CONFIG_TOKEN: "t" });

  expect(code).toBe(1);
  expect(err).toEqual(["apps.manifest.update failed: invalid_manifest"]);
});

test("usage mistakes fail before any call", async () => {
  await expect(run(["--url", URL_BASE, "--apply"])).rejects.toThrow("--apply needs --app-id");
  await expect(run(["--url", URL_BASE, "--commands", "deploy"])).rejects.toThrow(
    "slash commands look like /name",
  );
  await expect(run(["--url", URL_BASE, "--apply", "--app-id", "A1"])).rejects.toThrow(
    "SLACK_CONFIG_TOKEN is not set",
  );
  expect(slack.calls).toEqual([]);
});
