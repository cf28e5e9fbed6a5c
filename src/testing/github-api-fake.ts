/**
 * A local stand-in for GitHub's REST API: what registration, redelivery and fixture recording
 * use (repository and organization hooks: list, create, update, ping; hook deliveries of a
 * repository, organization or App, listed newest first with cursor pagination and `Link` headers,
 * and one by id with its request headers and payload; redelivery attempts), App installation
 * tokens, and for everything else what listeners call: answers set with `respond`, otherwise
 * writes succeed (`201` with the body and an `id`, `204` for DELETE) and reads answer `404`.
 * A node:http server on port 0 that records every request.
 *
 * @example
 * const github = await startGithubApiFake();
 * const octokit = new Octokit({ auth: "test-token", baseUrl: github.apiUrl });
 * await octokit.rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: "hi" });
 * github.writes() // [{ method: "POST", path: "/repos/o/r/issues/1/comments", body: { body: "hi" }, … }]
 */
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
  /** Answers `method path` (a path or a pattern, no query string) with `answer` from now on. */
  respond(method: string, path: string | RegExp, answer: FakeAnswer): void;
  stop(): Promise<void>;
}

const HOOKS = /^(\/(?:repos\/[^/]+\/[^/]+|orgs\/[^/]+)\/hooks)(?:\/(\d+)(\/pings|\/deliveries)?)?$/;
const ATTEMPTS = /^(.*\/deliveries)\/(\d+)\/attempts$/;
const DELIVERY = /^(.*\/deliveries)\/(\d+)$/;
const ACCESS_TOKENS = /^\/app\/installations\/\d+\/access_tokens$/;

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
    const call: Call = { method, path: url.pathname, url, body: text ? JSON.parse(text) : {}, reply };
    if (!answerDeliveries(state, call) && !answerHooks(state, call)) answerOther(state, call);
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
    refuseRedelivery: new Set(),
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
function answerDeliveries(state: State, { method, path, url, reply }: Call): boolean {
  const canned = state.answers.find(
    (a) => a.method === method && (typeof a.path === "string" ? a.path === path : a.path.test(path)),
  );
  if (canned) return answered(reply(canned.answer.status, canned.answer.body));
  if (ACCESS_TOKENS.test(path) && method === "POST") {
    const expires = new Date(Date.now() + 3600_000).toISOString();
    return answered(
      reply(201, { token: "ghs_test_installation_token", expires_at: expires, permissions: {} }),
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
    const known = (state.deliveries.get(attempt[1]!) ?? []).some((d) => d.id === Number(attempt[2]));
    if (!known) return answered(reply(404, { message: "Not Found" }));
    if (state.fake.refuseRedelivery.has(Number(attempt[2])))
      return answered(reply(422, { message: "Validation Failed" }));
    return answered(reply(202, {}));
  }
  // Deliveries seeded with addDeliveries are served without creating their hook first.
  if ((path === "/app/hook/deliveries" || state.deliveries.has(path)) && method === "GET") {
    return answered(listPage(state, path, url, reply));
  }
  return false;
}

/** Repository and organization hooks: list, create, update, ping, deliveries. */
function answerHooks(state: State, { method, path, url, body, reply }: Call): boolean {
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
  const ping = (hookPath: string) => {
    if (fake.pingStatusCode === null) return;
    fake.addDeliveries(`${hookPath}/deliveries`, [{ event: "ping", status_code: fake.pingStatusCode }]);
  };
  if (id && !hook) return answered(reply(404, { message: "Not Found" }));
  if (!id && method === "GET") return answered(reply(200, list.map(masked)));
  if (!id && method === "POST") {
    const created = fake.addHook(collection, {
      active: body.active ?? true,
      events: body.events ?? ["push"],
      config: body.config as FakeHook["config"],
    });
    ping(`${collection}/${created.id}`);
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
    ping(`${collection}/${hook.id}`);
    return answered(reply(204));
  }
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

function masked(hook: FakeHook): FakeHook {
  const { secret, ...config } = hook.config;
  return { ...hook, config: secret ? { ...config, secret: "********" } : config };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
