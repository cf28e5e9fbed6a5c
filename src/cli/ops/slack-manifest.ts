/**
 * The Slack app manifest for the gateway, and `apps.manifest.update`.
 * https://api.slack.com/reference/manifests
 */

export interface SlackManifestOptions {
  /** Gateway base URL (the function URL); `/slack` is appended. */
  url: string;
  name?: string;
  /** Slash commands, e.g. `["/deploy", "/echo"]`. */
  commands?: string[];
  /** Bot events (default: the ones the shipped consumers listen to). */
  botEvents?: string[];
}

export const DEFAULT_BOT_EVENTS = ["app_mention", "message.channels", "reaction_added", "app_home_opened"];

// The scope each event needs (https://api.slack.com/events); app_home_opened needs none.
const EVENT_SCOPES: Record<string, string> = {
  app_mention: "app_mentions:read",
  "message.channels": "channels:history",
  "message.groups": "groups:history",
  "message.im": "im:history",
  reaction_added: "reactions:read",
  reaction_removed: "reactions:read",
};

/**
 * Builds the manifest: Events, Interactivity and slash commands all point at `<url>/slack`; bot
 * scopes are those the events and the shipped consumers need (`chat:write` for `say` and the
 * notifier, `im:write` to open a DM with a user, `commands` when there are slash commands).
 *
 * @example
 * slackManifest({ url: "https://abc.lambda-url.us-east-1.on.aws/", commands: ["/echo"] })
 *   .settings.event_subscriptions.request_url // "https://abc.lambda-url.us-east-1.on.aws/slack"
 */
export function slackManifest(options: SlackManifestOptions) {
  const requestUrl = `${options.url.replace(/\/+$/, "")}/slack`;
  const name = options.name ?? "Webhook Gateway";
  const commands = options.commands ?? [];
  const botEvents = options.botEvents ?? DEFAULT_BOT_EVENTS;
  const scopes = new Set(["chat:write", "im:write"]);
  for (const event of botEvents) if (EVENT_SCOPES[event]) scopes.add(EVENT_SCOPES[event]);
  if (commands.length > 0) scopes.add("commands");
  return {
    display_information: { name },
    features: {
      bot_user: { display_name: name, always_online: false },
      app_home: { home_tab_enabled: botEvents.includes("app_home_opened"), messages_tab_enabled: false },
      ...(commands.length > 0 && {
        slash_commands: commands.map((command) => ({
          command,
          url: requestUrl,
          description: `Runs ${command}`,
          should_escape: false,
        })),
      }),
    },
    oauth_config: { scopes: { bot: [...scopes].sort() } },
    settings: {
      event_subscriptions: { request_url: requestUrl, bot_events: botEvents },
      interactivity: { is_enabled: true, request_url: requestUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}

export type SlackManifest = ReturnType<typeof slackManifest>;

export interface ManifestUpdateResult {
  ok: boolean;
  error?: string;
  /** Slack's validation errors (`{ message, pointer }`). */
  errors?: { message: string; pointer?: string }[];
  permissions_updated?: boolean;
}

/**
 * Calls `apps.manifest.update` with an app configuration token.
 * https://api.slack.com/methods/apps.manifest.update
 *
 * @example
 * await updateSlackManifest({ apiUrl: "https://slack.com/api/", token, appId: "A123", manifest })
 */
export async function updateSlackManifest(options: {
  apiUrl: string;
  token: string;
  appId: string;
  manifest: SlackManifest;
  fetch?: typeof fetch;
}): Promise<ManifestUpdateResult> {
  const base = options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/`;
  const response = await (options.fetch ?? fetch)(`${base}apps.manifest.update`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${options.token}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ app_id: options.appId, manifest: JSON.stringify(options.manifest) }),
  });
  if (!response.ok) return { ok: false, error: `HTTP ${response.status}` };
  return (await response.json()) as ManifestUpdateResult;
}
