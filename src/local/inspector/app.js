// The inspector page: vanilla JS, no framework, nothing fetched but this runtime's own API.
// Untrusted text (payloads, headers, ids) only ever goes through textContent, never innerHTML.

const TOKEN = document.querySelector('meta[name="inspector-token"]').content;
const SYMBOLS = {
  processed: "✓",
  duplicate: "↺",
  failed: "✗",
  "dead-lettered": "☠",
  pending: "…",
  "in-progress": "◌",
  filtered: "∅",
  expired: "⌛",
  off: "–",
};
/** `live`: the rows the stream sent while a list was loading (`loads`), by key, in the order they came (`liveSeq`). */
const state = {
  filters: {},
  next: undefined,
  selected: undefined,
  rows: new Map(),
  live: new Map(),
  liveSeq: 0,
  loads: 0,
};
const $ = (selector) => document.querySelector(selector);

/** Creates an element with attributes and children (strings become text nodes). */
function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? body.error ?? `HTTP ${response.status}`);
  return body;
}

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-inspector-token": TOKEN },
    body: JSON.stringify(body ?? {}),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.message ?? answer.error ?? `HTTP ${response.status}`);
  return answer;
}

function time(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function chip(consumer, named = true) {
  const count = consumer.state === "failed" && consumer.failures > 1 ? `×${consumer.failures}` : "";
  const failures = consumer.failures ? `, ${consumer.failures} failed attempt(s)` : "";
  const symbol = SYMBOLS[consumer.state] ?? "";
  const text = named ? `${consumer.name} ${symbol}${count}` : `${symbol} ${consumer.state}`;
  return h(
    "span",
    {
      class: `chip ${consumer.state}`,
      title: `${consumer.name}: ${consumer.state}${failures}`,
      "data-consumer": consumer.name,
      "data-state": consumer.state,
    },
    text,
    named && h("span", { class: "visually-hidden" }, ` ${consumer.state}`),
  );
}

function statusCell(row) {
  const status = row.status === undefined ? "" : String(row.status);
  return h("td", { class: `status s${status.charAt(0)}`, title: row.reason ?? "" }, status || "–");
}

function rowElement(row) {
  const label = row.id ?? `request ${row.key.slice("request:".length)}`;
  const link = h("a", { href: `#/d/${encodeURIComponent(row.key)}`, title: row.id ?? row.key }, label);
  const type =
    row.kind === "request"
      ? h("span", { class: `reason ${row.state}` }, `${row.state}: ${row.reason ?? ""}`)
      : row.type;
  const where = [row.source, row.subject].filter(Boolean).join("\n");
  return h(
    "tr",
    { "data-key": row.key, "data-state": row.state, class: row.key === state.selected ? "selected" : "" },
    h("td", { title: row.time }, time(row.time)),
    h("td", {}, row.provider ?? ""),
    h(
      "td",
      { title: row.type ?? row.reason ?? "" },
      h("div", { class: "type" }, type),
      h("div", { class: "id" }, link),
    ),
    h("td", { title: where }, h("div", {}, row.source ?? ""), h("div", { class: "sub" }, row.subject ?? "")),
    statusCell(row),
    h(
      "td",
      { class: "chips" },
      row.consumers.map((c) => chip(c)),
    ),
  );
}

function glob(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/** Whether a live row belongs in the list as filtered now. */
function matchesFilters(row) {
  const f = state.filters;
  if (f.id) return row.id === f.id || row.key === f.id || (row.id ?? "").endsWith(`:${f.id}`);
  if (f.provider && row.provider !== f.provider) return false;
  if (f.state === "dead-lettered") return row.consumers.some((c) => c.state === "dead-lettered");
  if (f.state && row.state !== f.state) return false;
  if (f.type && !(row.type && glob(f.type).test(row.type))) return false;
  if (f.source && !(row.source && glob(f.source).test(row.source))) return false;
  return true;
}

function upsertRow(row, live) {
  const tbody = $("#list tbody");
  const existing = tbody.querySelector(`tr[data-key="${CSS.escape(row.key)}"]`);
  state.rows.set(row.key, row);
  if (existing) {
    existing.replaceWith(rowElement(row));
    return;
  }
  if (!live || !matchesFilters(row)) return;
  const element = rowElement(row);
  element.classList.add("new");
  const before = [...tbody.children].find((tr) => (state.rows.get(tr.dataset.key)?.time ?? "") < row.time);
  tbody.insertBefore(element, before ?? null);
  $("#list-empty").hidden = true;
}

async function loadPage(append) {
  const params = new URLSearchParams({ limit: "50" });
  for (const [name, value] of Object.entries(state.filters)) if (value) params.set(name, value);
  if (append && state.next) params.set("cursor", state.next);
  const since = state.liveSeq;
  state.loads++;
  let page;
  try {
    page = await getJson(`/_/api/deliveries?${params}`);
  } finally {
    state.loads--;
  }
  const tbody = $("#list tbody");
  if (!append) tbody.replaceChildren();
  for (const row of page.items) {
    state.rows.set(row.key, row);
    if (!tbody.querySelector(`tr[data-key="${CSS.escape(row.key)}"]`)) tbody.append(rowElement(row));
  }
  if (!append) keepLiveRows(since);
  state.next = page.next;
  $("#more").hidden = !page.next;
  $("#list-empty").hidden = tbody.children.length > 0;
}

/**
 * Rows the stream sent while the list was being fetched are newer than the list may be: put them
 * back (or over the list's copy) rather than lose them with the rows the new list replaced. Every
 * change to a delivery is streamed, so the last streamed row of a key is its latest state.
 */
function keepLiveRows(since) {
  for (const { seq, row } of state.live.values()) if (seq > since) upsertRow(row, true);
  if (state.loads === 0) state.live.clear();
}

function readFilters() {
  const form = new FormData($("#filters"));
  state.filters = Object.fromEntries(
    [...form.entries()].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v),
  );
}

function renderCounters(counters) {
  const card = (label, value, note) =>
    h("div", { class: "counter" }, h("small", {}, label), h("b", {}, value), note);
  const rejected = Object.values(counters.rejected).reduce((a, b) => a + b, 0);
  const reasons = Object.entries(counters.rejected)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(", ");
  const cards = [
    card("received", counters.received),
    card(
      "accepted",
      counters.accepted,
      h(
        "small",
        {
          "data-counter": "joined",
          title:
            "copies of an event that arrived while it was being queued: answered with that send, queued once",
        },
        `${counters.joined} copies joined`,
      ),
    ),
    card("rejected", rejected, h("small", { "data-counter": "rejected-reasons" }, reasons || "none")),
    card("failed (5xx)", counters.failed),
  ];
  let dead = 0;
  for (const [name, c] of Object.entries(counters.consumers)) {
    dead += c.deadLettered;
    const note = `dup ${c.duplicate} · failed ${c.failed} · DLQ ${c.deadLettered}`;
    const element = card(`${name}${c.running ? "" : " (off)"}: processed`, c.processed, h("small", {}, note));
    element.dataset.consumer = name;
    for (const key of ["processed", "duplicate", "failed", "deadLettered"]) element.dataset[key] = c[key];
    cards.push(element);
  }
  $("#counters").replaceChildren(...cards);
  $("#dlq-total").textContent = String(dead);
  if ($("#dlq").open) void renderDeadLetters();
}

// ---- JSON tree: collapsible, highlighted, children rendered when first opened ----

function jsonLeaf(value) {
  if (typeof value === "string") return h("span", { class: "s" }, JSON.stringify(value));
  if (typeof value === "number") return h("span", { class: "n" }, String(value));
  if (typeof value === "boolean") return h("span", { class: "b" }, String(value));
  return h("span", { class: "z" }, "null");
}

function jsonNode(key, value, depth) {
  const label = key === undefined ? [] : [h("span", { class: "k" }, JSON.stringify(key)), ": "];
  if (value === null || typeof value !== "object") return h("li", {}, ...label, jsonLeaf(value));
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  const meta = h(
    "span",
    { class: "meta" },
    `${open}${entries.length ? "…" : ""}${close} ${entries.length} ${Array.isArray(value) ? "items" : "keys"}`,
  );
  const details = h("details", {}, h("summary", {}, ...label, meta));
  const list = h("ul");
  let rendered = false;
  const render = () => {
    if (rendered) return;
    rendered = true;
    for (const [k, v] of entries) list.append(jsonNode(Array.isArray(value) ? undefined : k, v, depth + 1));
    details.append(list);
  };
  details.addEventListener("toggle", render);
  if (depth < 2 && entries.length <= 200) {
    details.open = true;
    render();
  }
  return key === undefined && depth === 0 ? details : h("li", {}, details);
}

function jsonTree(value) {
  return h("div", { class: "json", "data-json": "payload" }, jsonNode(undefined, value, 0));
}

// ---- Detail ----

function kvTable(entries) {
  return h(
    "table",
    { class: "kv" },
    entries.map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, v ?? "–"))),
  );
}

function timingsTable(timings) {
  const start = timings.received ? Date.parse(timings.received) : undefined;
  const delta = (iso) => {
    if (start === undefined) return "";
    const ms = Date.parse(iso) - start;
    return ` (${ms >= 0 ? "+" : ""}${ms} ms)`;
  };
  const rows = [
    ["received", timings.received ?? "not recorded (before this run of the runtime)"],
    ["queued", timings.queued ? `${timings.queued}${delta(timings.queued)}` : "not recorded"],
    ...Object.entries(timings.consumers).map(([name, last]) => [
      `${name}: ${last.state}`,
      `${last.at}${delta(last.at)}`,
    ]),
  ];
  return kvTable(rows);
}

function errorRow(consumer) {
  const error = consumer.lastError;
  const stack =
    error.stack &&
    h(
      "details",
      {},
      h("summary", {}, `stack (last of ${consumer.failures} failure(s))`),
      h("pre", { class: "stack" }, error.stack),
    );
  return h(
    "tr",
    { class: "last-error", "data-consumer": consumer.name },
    h("td", { colspan: 5 }, h("div", { class: "error-message" }, `${error.name}: ${error.message}`), stack),
  );
}

function consumersTable(detail, result) {
  const head = h(
    "tr",
    {},
    ["Consumer", "State", "Attempts", "Duplicates", ""].map((t) => h("th", { scope: "col" }, t)),
  );
  const reprocess = (c) =>
    actionButton("Reprocess", `Reprocess ${c.name}`, result, () =>
      postJson(`/_/api/deliveries/${encodeURIComponent(detail.row.key)}/reprocess`, {
        consumer: c.name,
      }).then(
        (answer) =>
          `${c.name} will run ${detail.row.key} once more (run ${answer.run}).${
            answer.counted ? "" : " The archive could not count the run."
          }`,
      ),
    );
  const record = (c) =>
    h(
      "div",
      { class: "sub", title: c.record.expiresAt ? `expires ${c.record.expiresAt}` : "" },
      `record ${c.record.status}`,
    );
  const rows = detail.consumers.flatMap((c) => [
    h(
      "tr",
      { class: "consumer", "data-consumer": c.name, "data-state": c.state },
      h("td", {}, c.name),
      h("td", {}, chip(c, false), record(c)),
      h("td", { "data-attempts": c.attempts }, String(c.attempts)),
      h("td", {}, String(c.duplicates)),
      h("td", {}, c.state === "off" ? "" : reprocess(c)),
    ),
    c.lastError ? errorRow(c) : undefined,
  ]);
  return h("table", { class: "consumers" }, h("thead", {}, head), h("tbody", {}, rows));
}

function actionButton(text, label, result, run) {
  const button = h("button", { type: "button", "aria-label": label }, text);
  button.addEventListener("click", async () => {
    button.disabled = true;
    result.classList.remove("error");
    try {
      result.replaceChildren(await run());
    } catch (error) {
      result.classList.add("error");
      result.replaceChildren(`${text} failed: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function eventActions(detail, result) {
  const path = `/_/api/deliveries/${encodeURIComponent(detail.row.key)}`;
  const copy = async () => {
    const { command } = await postJson(`${path}/curl`);
    const area = h("textarea", { class: "curl", readonly: true, "aria-label": "curl command" });
    area.value = command;
    let note = "Copied to the clipboard.";
    try {
      await navigator.clipboard.writeText(command);
    } catch {
      note = "Select and copy:";
    }
    return h("div", {}, note, " Signed now; Slack refuses it after 5 minutes.", area);
  };
  return h(
    "div",
    { class: "actions" },
    actionButton("Replay", "Replay through the edge", result, async () => {
      const answer = await postJson(`${path}/replay`);
      return `Replayed: the edge answered ${answer.status}.`;
    }),
    actionButton("Copy as curl", "Copy as curl", result, copy),
    actionButton(
      "Save as fixture",
      "Save as fixture",
      result,
      async () => `Saved ${(await postJson(`${path}/fixture`)).path}`,
    ),
  );
}

function requestSection(detail) {
  if (!detail.request)
    return h(
      "p",
      { class: "hint" },
      "Headers not kept: received before the runtime started, or dropped from memory.",
    );
  const headers = Object.entries(detail.request.headers).sort(([a], [b]) => a.localeCompare(b));
  return h(
    "div",
    {},
    kvTable([
      ["request", `${detail.request.method} ${detail.request.path} · ${detail.request.bodyBytes} bytes`],
      ...headers,
    ]),
    detail.request.bodyPreview !== undefined && h("pre", { class: "stack" }, detail.request.bodyPreview),
  );
}

function renderDetail(detail) {
  const row = detail.row;
  const result = h("div", { class: "result", role: "status", "aria-live": "polite" });
  const title = row.kind === "request" ? `${row.state} request (${row.reason ?? row.status})` : row.type;
  const parts = [
    h("h3", { id: "detail-heading" }, title),
    kvTable([
      ["id", row.id ?? row.key],
      [
        "edge's answer",
        row.status === undefined ? "–" : `${row.status}${row.reason ? ` ${row.reason}` : ""}`,
      ],
      ["provider", row.provider],
      ["source", row.source],
      ["subject", row.subject],
    ]),
  ];
  if (row.kind === "event") {
    parts.push(eventActions(detail, result), result);
    parts.push(h("h3", {}, "Consumers"), consumersTable(detail, result));
  }
  parts.push(h("h3", {}, "Timings"), timingsTable(detail.timings));
  if (detail.attributes)
    parts.push(
      h("h3", {}, "CloudEvent attributes"),
      kvTable(Object.entries(detail.attributes).map(([k, v]) => [k, String(v)])),
    );
  parts.push(h("h3", {}, "Request headers"), requestSection(detail));
  if (row.kind === "event") {
    parts.push(h("h3", {}, "Payload"));
    parts.push(
      detail.data === undefined
        ? h(
            "p",
            { class: "hint" },
            detail.truncated ? "Too large for the archive: kept in the claim check." : "Not available.",
          )
        : jsonTree(detail.data),
    );
  }
  $("#detail").replaceChildren(...parts);
}

async function showDetail(key, focus) {
  state.selected = key;
  for (const tr of $("#list tbody").children) tr.classList.toggle("selected", tr.dataset.key === key);
  if (!key) return;
  try {
    renderDetail(await getJson(`/_/api/deliveries/${encodeURIComponent(key)}`));
    if (focus) $("#detail-pane").focus();
  } catch (error) {
    $("#detail").replaceChildren(
      h("p", { class: "result error" }, `Could not load ${key}: ${error.message}`),
    );
  }
}

let refreshTimer;
function refreshDetailSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    // Keep what the reader is doing: an action's result (or the curl box) survives the refresh.
    const previous = $("#detail .result");
    const kept = previous ? [...previous.childNodes] : [];
    const wasError = previous?.classList.contains("error");
    await showDetail(state.selected, false);
    const result = $("#detail .result");
    if (result && kept.length > 0) {
      result.replaceChildren(...kept);
      result.classList.toggle("error", Boolean(wasError));
    }
  }, 300);
}

// ---- Dead-letter queues ----

async function renderDeadLetters() {
  const queues = await getJson("/_/api/dlq");
  const sections = Object.entries(queues).map(([consumer, messages]) => {
    const result = h("div", { class: "result", role: "status" });
    const redrive = (eventId) =>
      actionButton(
        eventId ? "Redrive" : `Redrive all (${messages.length})`,
        eventId ? `Redrive ${eventId} to ${consumer}` : `Redrive all of ${consumer}`,
        result,
        async () => {
          const moved = await postJson(
            `/_/api/dlq/${encodeURIComponent(consumer)}/redrive`,
            eventId ? { eventId } : {},
          );
          return `Moved ${moved.moved} message(s) back to ${consumer}${moved.failed ? `; ${moved.failed} refused` : ""}.`;
        },
      );
    const items = messages.map((m) =>
      h(
        "li",
        { "data-event": m.eventId ?? "" },
        h("a", { href: `#/d/${encodeURIComponent(m.eventId ?? "")}` }, m.eventId ?? m.messageId),
        ` ${m.type ?? ""} · received ${m.receiveCount}× `,
        m.eventId && redrive(m.eventId),
      ),
    );
    return h(
      "div",
      { class: "dlq-consumer", "data-consumer": consumer },
      h("strong", {}, `${consumer}-dlq: ${messages.length}`),
      " ",
      messages.length > 0 && redrive(undefined),
      h("ul", {}, items),
      result,
    );
  });
  $("#dlq-body").replaceChildren(...sections);
}

// ---- Wiring ----

function connect() {
  const source = new EventSource("/_/api/stream");
  source.addEventListener("open", () => {
    $("#live").textContent = "live";
    $("#live").classList.add("on");
  });
  source.addEventListener("error", () => {
    $("#live").textContent = "reconnecting…";
    $("#live").classList.remove("on");
  });
  source.addEventListener("delivery", (message) => {
    const row = JSON.parse(message.data);
    if (state.loads > 0) state.live.set(row.key, { seq: ++state.liveSeq, row });
    upsertRow(row, true);
    if (row.key === state.selected) refreshDetailSoon();
  });
  source.addEventListener("counters", (message) => renderCounters(JSON.parse(message.data)));
}

function route() {
  const match = /^#\/d\/(.+)$/.exec(location.hash);
  void showDetail(match ? decodeURIComponent(match[1]) : undefined, true);
}

function start() {
  $("#filters").addEventListener("submit", (event) => {
    event.preventDefault();
    readFilters();
    void loadPage(false);
  });
  $("#filters").addEventListener("reset", () => {
    setTimeout(() => {
      readFilters();
      void loadPage(false);
    });
  });
  $("#more").addEventListener("click", () => void loadPage(true));
  $("#dlq").addEventListener("toggle", () => $("#dlq").open && void renderDeadLetters());
  window.addEventListener("hashchange", route);
  connect();
  void loadPage(false).then(route);
}

start();
