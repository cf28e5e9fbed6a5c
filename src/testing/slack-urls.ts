import type { Fixture } from "../fixtures/fixture";

/**
 * The fixture with every Slack `response_url` (slash commands, interactions) pointed at the fake,
 * keeping the rest of the URL as the fake's id, so `respond()` in a listener never reaches Slack.
 *
 * @example
 * redirectResponseUrls(fixture, (path) => slack.responseUrl(path)).request.body
 * // "…&response_url=http%3A%2F%2F127.0.0.1%3A41234%2Frespond%2Fcommands%2FT061EG9RZ%2F…"
 */
export function redirectResponseUrls(fixture: Fixture, responseUrl: (path: string) => string): Fixture {
  const type = Object.entries(fixture.request.headers).find(
    ([name]) => name.toLowerCase() === "content-type",
  );
  const form = type?.[1].startsWith("application/x-www-form-urlencoded") ?? false;
  if (fixture.provider !== "slack" || !form || fixture.request.bodyEncoding === "base64") return fixture;
  const params = new URLSearchParams(fixture.request.body);
  const redirect = (url: unknown) =>
    typeof url === "string" && url.startsWith("https://") ? responseUrl(new URL(url).pathname.slice(1)) : url;
  let changed = false;
  if (params.has("response_url")) {
    params.set("response_url", String(redirect(params.get("response_url"))));
    changed = true;
  }
  const payload = params.get("payload");
  if (payload !== null) {
    const parsed = JSON.parse(payload) as {
      response_url?: unknown;
      response_urls?: { response_url?: unknown }[];
    };
    if (parsed.response_url !== undefined) parsed.response_url = redirect(parsed.response_url);
    for (const entry of parsed.response_urls ?? []) entry.response_url = redirect(entry.response_url);
    params.set("payload", JSON.stringify(parsed));
    changed = true;
  }
  return changed ? { ...fixture, request: { ...fixture.request, body: params.toString() } } : fixture;
}
