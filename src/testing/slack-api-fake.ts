/**
 * A local stand-in for Slack's Web API and for `response_url`s: a node:http server on port 0
 * that records every call (method, bot token, decoded arguments) and answers like Slack.
 * Point a Bolt app or WebClient at it with `clientOptions.slackApiUrl = fake.apiUrl`.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackApiCall {
  method: string;
  /** The bearer token the call carried. */
  token: string | undefined;
  args: Record<string, unknown>;
}

export interface ResponseUrlCall {
  /** Path after `/respond/`. */
  id: string;
  body: unknown;
}

export interface SlackApiFake {
  /** Base URL for `slackApiUrl` (ends with `/api/`). */
  apiUrl: string;
  /** A `response_url` served by this fake. */
  responseUrl(id: string): string;
  /** Every Web API call except `auth.test` (recorded apart in `authTests`). */
  calls: SlackApiCall[];
  authTests: SlackApiCall[];
  responses: ResponseUrlCall[];
  /** The next call to `method` answers `{ ok: false, error }` (or an HTTP `status` when given). */
  failNext(method: string, failure: { error?: string; status?: number }): void;
  stop(): Promise<void>;
}

// Web API methods take form fields; structured arguments arrive JSON-encoded.
const JSON_FIELDS = new Set(["blocks", "attachments", "metadata", "view", "unfurls"]);

export const FAKE_BOT = { userId: "U0BOT", botId: "B0BOT", teamId: "T0001" };

export async function startSlackApiFake(): Promise<SlackApiFake> {
  const calls: SlackApiCall[] = [];
  const authTests: SlackApiCall[] = [];
  const responses: ResponseUrlCall[] = [];
  const failures = new Map<string, { error?: string; status?: number }[]>();
  let ts = 0;

  const server: Server = createServer(async (request, response) => {
    const text = await readBody(request);
    const url = new URL(request.url ?? "/", "http://localhost");
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith("/respond/")) {
      responses.push({ id: url.pathname.slice("/respond/".length), body: JSON.parse(text) });
      return reply(200, { ok: true });
    }
    if (!url.pathname.startsWith("/api/")) return reply(404, { ok: false, error: "unknown_path" });
    const method = url.pathname.slice("/api/".length);
    const call: SlackApiCall = {
      method,
      token: request.headers.authorization?.replace(/^Bearer /, ""),
      args: decodeArgs(text, request.headers["content-type"]),
    };
    (method === "auth.test" ? authTests : calls).push(call);
    const failure = failures.get(method)?.shift();
    if (failure?.status) return reply(failure.status, { ok: false, error: "fake_http_error" });
    if (failure) return reply(200, { ok: false, error: failure.error ?? "fake_error" });
    if (method === "auth.test") {
      return reply(200, {
        ok: true,
        url: "https://fake.slack.com/",
        team: "Fake",
        user: "gatewaybot",
        team_id: FAKE_BOT.teamId,
        user_id: FAKE_BOT.userId,
        bot_id: FAKE_BOT.botId,
      });
    }
    if (method === "chat.postMessage") {
      ts++;
      return reply(200, {
        ok: true,
        channel: call.args.channel,
        ts: `1700000000.${String(ts).padStart(6, "0")}`,
      });
    }
    return reply(200, { ok: true });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/respond/${id}`,
    calls,
    authTests,
    responses,
    failNext: (method, failure) => failures.set(method, [...(failures.get(method) ?? []), failure]),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function decodeArgs(text: string, contentType: string | undefined): Record<string, unknown> {
  if (text.length === 0) return {};
  if (contentType?.startsWith("application/json")) return JSON.parse(text) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = JSON_FIELDS.has(key) ? JSON.parse(value) : value;
  }
  return args;
}
