/**
 * A local stand-in for GitHub's REST API: what registration, redelivery and fixture recording
 * use (repository and organization hooks: list, create, update, ping; hook deliveries of a
 * repository, organization or App, listed newest first with cursor pagination and `Link` headers,
 * and one by id with its request headers and payload; redelivery attempts), the App's webhook
 * configuration (`GET`/`PATCH /app/hook/config`), App installation
 * tokens (checking the App JWT when an App is set), and for everything else what listeners call: answers set with `respond`, otherwise
 * writes succeed (`201` with the body and an `id`, `204` for DELETE) and reads answer `404`.
 * A node:http server on port 0 that records every request.
 *
 * @example
 * const github = await startGithubApiFake();
 * const octokit = new Octokit({ auth: "test-token", baseUrl: github.apiUrl });
 * await octokit.rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: "hi" });
 * github.writes() // [{ method: "POST", path: "/repos/o/r/issues/1/comments", body: { body: "hi" }, … }]
 */
import { createHmac, createPublicKey, type KeyObject, randomUUID, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface FakeHook {
  id: number;
  name: "web";
  active: boolean;
  events: string[];
  config: { url: string; content_type?: string; insecure_ssl?: string; secret?: string };
}

export interface FakeDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  /** What GitHub sent (served by `GET …/deliveries/{id}` only, as GitHub does). */
  request?: { headers: Record<string, string>; payload: unknown };
  response?: { headers: Record<string, string>; payload: string | null };
}

/** A canned answer for requests the fake does not model (`respond`). */
export interface FakeAnswer {
  status: number;
  body?: unknown;
}

/** The App the fake knows: JWTs must be RS256-signed by this key, with `iss` = `appId`. */
export interface FakeApp {
  appId: string;
  /** The public key (or the private key, from which it is derived). */
  key: KeyObject | string;
}

/** An installation access token the fake issued. */
export interface IssuedToken {
  installationId: number;
  token: string;
  expires_at: string;
}

/** The claims of an App JWT the fake verified. */
export interface AppJwtClaims {
  iss: string;
  iat: number;
  exp: number;
}

export interface GithubApiFake {
  /** Octokit `baseUrl`. */
  apiUrl: string;
  requests: RecordedRequest[];
  /** Requests other than GET. */
  writes(): RecordedRequest[];
  /** Hooks by collection path, e.g. `/repos/octo/hello/hooks`. */
  hooks: Map<string, FakeHook[]>;
  /** Adds a hook; returns it. */
  addHook(collection: string, hook: Omit<FakeHook, "id" | "name"> & { id?: number }): FakeHook;
  /** Adds delivery attempts to a deliveries path (e.g. `/app/hook/deliveries`). */
  addDeliveries(path: string, deliveries: Partial<FakeDelivery>[]): FakeDelivery[];
  deliveries(path: string): FakeDelivery[];
  /** The status code of the next ping deliveries (default 200); `null`: no ping delivery appears. */
  pingStatusCode: number | null;
  /** Delivery ids whose redelivery request answers 422. */
  refuseRedelivery: Set<number>;
  /**
   * The status code of the attempt each accepted redelivery adds to the deliveries (same `guid`,
   * event and action, `redelivery: true`, newest of all; nothing is sent); `null` (the default):
   * no attempt appears.
   */
  redeliveryStatusCode: number | null;
  /**
   * The GitHub App's webhook configuration, served by `GET /app/hook/config` and updated by
   * `PATCH /app/hook/config` (only the fields given change; answers mask the secret); `undefined`
   * (the default): both answer 404.
   */
  appHookConfig: FakeHook["config"] | undefined;
  /**
   * Send pings for real, as GitHub does: POST the ping to the hook's URL signed with its secret;
   * the delivery records the status the receiver answered (instead of `pingStatusCode`). With
   * `appHookConfig`, redeliveries of the App's deliveries are sent for real too (their payload, or
   * `{}`, to its URL signed with its secret; instead of `redeliveryStatusCode`).
   */
  sendPings: boolean;
  /**
   * With an App, `/app/…` requests need a valid App JWT (401 otherwise), `POST
   * /app/installations/{id}/access_tokens` issues tokens valid for an hour, and repository
   * requests need one of those tokens.
   */
  app: FakeApp | undefined;
  /** Installation tokens issued, in order. */
  issuedTokens: IssuedToken[];
  /** The claims of `authorization` (`Bearer <jwt>`) if it is a valid JWT of the App, else undefined. */
  appJwtClaims(authorization: string | undefined): AppJwtClaims | undefined;
  /** Answers `method path` (a path or a pattern, no query string) with `answer` from now on. */
  respond(method: string, path: string | RegExp, answer: FakeAnswer): void;
  stop(): Promise<void>;
}

const HOOKS = /^(\/(?:repos\/[^/]+\/[^/]+|orgs\/[^/]+)\/hooks)(?:\/(\d+)(\/pings|\/deliveries|\/config)?)?$/;
const ATTEMPTS = /^(.*\/deliveries)\/(\d+)\/attempts$/;
const DELIVERY = /^(.*\/deliveries)\/(\d+)$/;
const ACCESS_TOKENS = /^\/app\/installations\/(\d+)\/access_tokens$/;
const LABELS = /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/labels$/;

/** The fake's state, shared by its route handlers. */
interface State {
  fake: GithubApiFake;
  deliveries: Map<string, FakeDelivery[]>;
  answers: { method: string; path: string | RegExp; answer: FakeAnswer }[];
  base: string;
  nextId: number;
}

/** One request as the route handlers see it. */
interface Call {
  method: string;
  path: string;
  url: URL;
  body: Partial<FakeHook>;
  reply: (status: number, body?: unknown, headers?: Record<string, string>) => void;
}

/**
 * Starts the fake on a free port.
 *
 * @example
 * const github = await startGithubApiFake();
 * github.respond("GET", "/repos/o/r/pulls/2", { status: 200, body: { number: 2 } });
 */
export async function startGithubApiFake(): Promise<GithubApiFake> {
  const state = createState();
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const text = await readBody(request);
    const method = request.method ?? "GET";
    state.fake.requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : undefined,
      authorization: request.headers.authorization,
    });
    const reply: Call["reply"] = (status, body, headers = {}) => {
      response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      response.end(body === undefined ? "" : JSON.stringify(body));
    };
    if (!request.headers.authorization) return reply(401, { message: "Requires authentication" });
    const refusal = appRefusal(state.fake, url.pathname, request.headers.authorization);
    if (refusal) return reply(401, { message: refusal });
    const call: Call = { method, path: url.pathname, url, body: text ? JSON.parse(text) : {}, reply };
    if (!(await answerDeliveries(state, call)) && !(await answerHooks(state, call))) answerOther(state, call);
  });
  state.fake.stop = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.fake.apiUrl = state.base;
  return state.fake;
}

function createState(): State {
  const hooks = new Map<string, FakeHook[]>();
  const deliveries = new Map<string, FakeDelivery[]>();
  const requests: RecordedRequest[] = [];
  const answers: State["answers"] = [];
  let nextHookId = 1;
  const fake: GithubApiFake = {
    apiUrl: "",
    requests,
    writes: () => requests.filter((r) => r.method !== "GET"),
    hooks,
    addHook(collection, hook) {
      const created: FakeHook = { name: "web", ...hook, id: hook.id ?? nextHookId++ };
      hooks.set(collection, [...(hooks.get(collection) ?? []), created]);
      return created;
    },
    addDeliveries: deliveryLog(deliveries),
    deliveries: (path) => deliveries.get(path) ?? [],
    pingStatusCode: 200,
    sendPings: false,
    refuseRedelivery: new Set(),
    redeliveryStatusCode: null,
    appHookConfig: undefined,
    app: undefined,
    issuedTokens: [],
    appJwtClaims: (authorization) => (fake.app ? verifyAppJwt(authorization, fake.app) : undefined),
    respond: (method, path, answer) => answers.unshift({ method: method.toUpperCase(), path, answer }),
    stop: async () => undefined,
  };
  return { fake, deliveries, answers, base: "", nextId: 1 };
}

/** Adds delivery attempts; every delivery is a second after the previous one. */
function deliveryLog(deliveries: Map<string, FakeDelivery[]>): GithubApiFake["addDeliveries"] {
  let nextDeliveryId = 1000;
  let clock = Date.parse("2026-01-01T00:00:00Z");
  return (path, items) => {
    const list = deliveries.get(path) ?? [];
    const added = items.map((item) => {
      const status_code = item.status_code ?? 200;
      clock += 1000;
      const delivery: FakeDelivery = {
        id: nextDeliveryId++,
        guid: `guid-${nextDeliveryId}`,
        delivered_at: new Date(clock).toISOString(),
        redelivery: false,
        duration: 0.1,
        status: status_code >= 200 && status_code < 300 ? "OK" : `Invalid HTTP Response: ${status_code}`,
        event: "push",
        action: null,
        installation_id: null,
        repository_id: 1,
        ...item,
        status_code,
      };
      list.push(delivery);
      return delivery;
    });
    deliveries.set(path, list);
    return added;
  };
}

/** Canned answers, App installation tokens, delivery logs and redelivery attempts. */
async function answerDeliveries(state: State, call: Call): Promise<boolean> {
  const { method, path, url, reply } = call;
  const canned = state.answers.find(
    (a) => a.method === method && (typeof a.path === "string" ? a.path === path : a.path.test(path)),
  );
  if (canned) return answered(reply(canned.answer.status, canned.answer.body));
  const installation = ACCESS_TOKENS.exec(path);
  if (installation && method === "POST")
    return answered(reply(201, issueToken(state.fake, Number(installation[1]))));
  if (LABELS.test(path) && method === "POST") {
    const labels = (call.body as { labels?: unknown }).labels;
    return answered(
      reply(
        200,
        (Array.isArray(labels) ? labels : []).map((name, i) => ({ id: i + 1, name })),
      ),
    );
  }
  const single = DELIVERY.exec(path);
  if (single && method === "GET") {
    const found = (state.deliveries.get(single[1]!) ?? []).find((d) => d.id === Number(single[2]));
    if (!found) return answered(reply(404, { message: "Not Found" }));
    const sent = { request: { headers: {}, payload: null }, response: { headers: {}, payload: null } };
    return answered(reply(200, { ...sent, ...found }));
  }
  const attempt = ATTEMPTS.exec(path);
  if (attempt && method === "POST") {
    const original = (state.deliveries.get(attempt[1]!) ?? []).find((d) => d.id === Number(attempt[2]));
    if (!original) return answered(reply(404, { message: "Not Found" }));
    if (state.fake.refuseRedelivery.has(Number(attempt[2])))
      return answered(reply(422, { message: "Validation Failed" }));
    const sent = state.fake.sendPings && state.fake.appHookConfig && attempt[1] === "/app/hook/deliveries";
    if (sent || state.fake.redeliveryStatusCode !== null) await addRedelivery(state, attempt[1]!, original);
    return answered(reply(202, {}));
  }
  if (path === "/app/hook/config" && (method === "GET" || method === "PATCH")) {
    const { fake } = state;
    if (!fake.appHookConfig) return answered(reply(404, { message: "Not Found" }));
    if (method === "PATCH")
      fake.appHookConfig = { ...fake.appHookConfig, ...(call.body as FakeHook["config"]) };
    return answered(reply(200, maskedConfig(fake.appHookConfig)));
  }
  // Deliveries seeded with addDeliveries are served without creating their hook first.
  if ((path === "/app/hook/deliveries" || state.deliveries.has(path)) && method === "GET") {
    return answered(listPage(state, path, url, reply));
  }
  return false;
}

/**
 * The attempt a redelivery adds: the original's guid, event and action; after every other attempt.
 * Its status: what the App's webhook answered when sent for real (`sendPings`), else `redeliveryStatusCode`.
 */
async function addRedelivery(state: State, path: string, original: FakeDelivery): Promise<void> {
  const { fake } = state;
  const list = state.deliveries.get(path) ?? [];
  const latest = Math.max(...list.map((d) => Date.parse(d.delivered_at)));
  const status_code =
    fake.sendPings && fake.appHookConfig
      ? await sendDelivery(fake.appHookConfig, original.event, original.guid, original.request?.payload ?? {})
      : (fake.redeliveryStatusCode ?? 200);
  fake.addDeliveries(path, [
    {
      guid: original.guid,
      event: original.event,
      action: original.action,
      installation_id: original.installation_id,
      repository_id: original.repository_id,
      redelivery: true,
      delivered_at: new Date(latest + 1000).toISOString(),
      status_code,
    },
  ]);
}

/** Repository and organization hooks: list, create, update, ping, deliveries. */
async function answerHooks(state: State, { method, path, url, body, reply }: Call): Promise<boolean> {
  const match = HOOKS.exec(path);
  if (!match) return false;
  const [, collection, id, tail] = match as unknown as [
    string,
    string,
    string | undefined,
    string | undefined,
  ];
  const { fake } = state;
  const list = fake.hooks.get(collection) ?? [];
  const hook = id ? list.find((h) => h.id === Number(id)) : undefined;
  const ping = async (hookPath: string, pinged: FakeHook) => {
    if (fake.sendPings) {
      const status_code = await sendPing(pinged);
      fake.addDeliveries(`${hookPath}/deliveries`, [{ event: "ping", status_code }]);
    } else if (fake.pingStatusCode !== null) {
      fake.addDeliveries(`${hookPath}/deliveries`, [{ event: "ping", status_code: fake.pingStatusCode }]);
    }
  };
  if (id && !hook) return answered(reply(404, { message: "Not Found" }));
  if (!id && method === "GET") return answered(reply(200, list.map(masked)));
  if (!id && method === "POST") {
    const created = fake.addHook(collection, {
      active: body.active ?? true,
      events: body.events ?? ["push"],
      config: body.config as FakeHook["config"],
    });
    await ping(`${collection}/${created.id}`, created);
    return answered(reply(201, masked(created)));
  }
  if (hook && !tail && method === "PATCH") {
    Object.assign(hook, {
      active: body.active ?? hook.active,
      events: body.events ?? hook.events,
      config: body.config ?? hook.config,
    });
    return answered(reply(200, masked(hook)));
  }
  if (hook && tail === "/pings" && method === "POST") {
    await ping(`${collection}/${hook.id}`, hook);
    return answered(reply(204));
  }
  // Update a webhook configuration: only the fields given change; the answer masks the secret.
  if (hook && tail === "/config" && method === "PATCH") {
    hook.config = { ...hook.config, ...(body as FakeHook["config"]) };
    return answered(reply(200, masked(hook).config));
  }
  if (hook && tail === "/config" && method === "GET") return answered(reply(200, masked(hook).config));
  if (hook && tail === "/deliveries" && method === "GET") return answered(listPage(state, path, url, reply));
  return answered(reply(404, { message: "Not Found" }));
}

/** What listeners call: a write succeeds with what was sent; a read of something never set is 404. */
function answerOther(state: State, { method, body, reply }: Call): void {
  if (method === "GET" || method === "HEAD") reply(404, { message: "Not Found" });
  else if (method === "DELETE") reply(204);
  else reply(method === "POST" ? 201 : 200, { id: state.nextId++, ...body });
}

/** Newest first; `cursor` is the index of the first item of the page. */
function listPage(state: State, path: string, url: URL, reply: Call["reply"]): void {
  const all = [...(state.deliveries.get(path) ?? [])].sort(
    (a, b) => Date.parse(b.delivered_at) - Date.parse(a.delivered_at) || b.id - a.id,
  );
  const perPage = Number(url.searchParams.get("per_page") ?? 30);
  const start = Number(url.searchParams.get("cursor") ?? 0);
  // The list omits what was sent; `GET …/deliveries/{id}` has it.
  const page = all.slice(start, start + perPage).map(({ request: _q, response: _r, ...summary }) => summary);
  const headers: Record<string, string> = {};
  if (start + perPage < all.length) {
    headers.link = `<${state.base}${path}?per_page=${perPage}&cursor=${start + perPage}>; rel="next"`;
  }
  reply(200, page, headers);
}

/** Marks a request as answered (`reply` returns nothing). */
function answered(_reply: unknown): true {
  return true;
}

/** Why an authorization is refused while an App is set: `/app/…` needs its JWT, the rest one of its tokens. */
function appRefusal(fake: GithubApiFake, path: string, authorization: string): string | undefined {
  if (!fake.app) return undefined;
  if (path.startsWith("/app/") || path === "/app") {
    return fake.appJwtClaims(authorization) ? undefined : "A JSON web token could not be decoded";
  }
  const token = /^token (.+)$/i.exec(authorization)?.[1];
  const issued = fake.issuedTokens.find((t) => t.token === token);
  return issued && Date.parse(issued.expires_at) > Date.now() ? undefined : "Bad credentials";
}

/** An installation access token valid for an hour, recorded in `issuedTokens`. */
function issueToken(fake: GithubApiFake, installationId: number) {
  const issued: IssuedToken = {
    installationId,
    token: `ghs_fake_${installationId}_${fake.issuedTokens.length + 1}`,
    expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  fake.issuedTokens.push(issued);
  return { ...issued, permissions: { issues: "write", metadata: "read" }, repository_selection: "all" };
}

/** A ping delivery as GitHub sends it, signed with the hook's secret; 0 when nothing answered. */
function sendPing(hook: FakeHook): Promise<number> {
  const body = { zen: "Keep it logically awesome.", hook_id: hook.id };
  return sendDelivery(hook.config, "ping", randomUUID(), body, { "x-github-hook-id": String(hook.id) });
}

/** POSTs a delivery as GitHub sends it, signed with the config's secret; 0 when nothing answered. */
async function sendDelivery(
  config: FakeHook["config"],
  event: string,
  guid: string,
  payload: unknown,
  extra: Record<string, string> = {},
): Promise<number> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": guid,
    ...extra,
  };
  if (config.secret) {
    headers["x-hub-signature-256"] =
      `sha256=${createHmac("sha256", config.secret).update(body).digest("hex")}`;
  }
  try {
    return (await fetch(config.url, { method: "POST", headers, body })).status;
  } catch {
    return 0;
  }
}

/** The claims of an RS256 JWT signed by the App's key, with `iss` = its id and not expired; else undefined. */
function verifyAppJwt(authorization: string | undefined, app: FakeApp): AppJwtClaims | undefined {
  const jwt = /^bearer (.+)$/i.exec(authorization ?? "")?.[1];
  const [header, payload, signature] = jwt?.split(".") ?? [];
  if (!header || !payload || !signature) return undefined;
  const decode = (part: string) =>
    JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  if (decode(header).alg !== "RS256") return undefined;
  const signed = verify(
    "sha256",
    Buffer.from(`${header}.${payload}`),
    typeof app.key !== "string" && app.key.type === "public" ? app.key : createPublicKey(app.key),
    Buffer.from(signature, "base64url"),
  );
  const claims = decode(payload) as unknown as AppJwtClaims;
  const now = Date.now() / 1000;
  if (!signed || String(claims.iss) !== app.appId || !(claims.exp > now) || !(claims.iat <= now + 60)) {
    return undefined;
  }
  return claims;
}

function masked(hook: FakeHook): FakeHook {
  return { ...hook, config: maskedConfig(hook.config) };
}

function maskedConfig(hookConfig: FakeHook["config"]): FakeHook["config"] {
  const { secret, ...config } = hookConfig;
  return secret ? { ...config, secret: "********" } : config;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
