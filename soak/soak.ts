/**
 * The soak: the local runtime as a child process (`node scripts/start.cjs`, LOCAL_FAULTS=1),
 * thousands of signed deliveries at a steady rate and in bursts, redeliveries and Slack retries,
 * forged and stale deliveries, poison events, and faults while it runs (SQS and DynamoDB cut off,
 * consumers failing at random, a Ctrl-C and a restart). Then a reconciliation through the
 * inspector API, the dead-letter queues and the runtime's output lines.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { exampleFixtures } from "../src/fixtures/examples";
import type { Fixture } from "../src/fixtures/fixture";
import { loadFixtures } from "../src/fixtures/load";
import { signFixture } from "../src/fixtures/sign";

export type FaultName = "sqs" | "dynamodb" | "consumer" | "restart";

export interface SoakOptions {
  /** Distinct deliveries (each a distinct event, or a forged one). */
  deliveries: number;
  /** Steady sending rate, deliveries per second. */
  rate: number;
  /** Upper bound of the sending phase, seconds (what is not accepted by then is reported). */
  seconds: number;
  /** A burst of `burstSize` deliveries every `burstEverySeconds`. */
  burstEverySeconds: number;
  burstSize: number;
  /** Shares of the deliveries. */
  duplicateShare: number;
  badShare: number;
  poisonShare: number;
  faults: FaultName[];
  /** How long SQS and DynamoDB stay unreachable. */
  outageSeconds: number;
  consumerFailureRate: number;
  /** Upper bound of the wait for the queues to drain at the end. */
  settleSeconds: number;
  concurrency: number;
  root: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/**
 * The default rate stays under what the local runtime processes on two cores (about 50 events/s,
 * BENCHMARKS.md section 4): above it the backlog grows without end, and with about 12,000 messages
 * queued the runtime's once-a-second snapshot (queues.json, over 100 MB) stalls it (seen at 150/s).
 */
export const DEFAULTS: Omit<SoakOptions, "root"> = {
  deliveries: 20_000,
  rate: 40,
  seconds: 900,
  burstEverySeconds: 30,
  burstSize: 200,
  duplicateShare: 0.1,
  badShare: 0.03,
  poisonShare: 0.005,
  faults: ["sqs", "dynamodb", "consumer", "restart"],
  outageSeconds: 4,
  consumerFailureRate: 0.05,
  settleSeconds: 900,
  concurrency: 48,
};

export interface SoakFigures {
  options: Omit<SoakOptions, "log" | "root">;
  elapsedSeconds: number;
  runtimeRuns: number;
  /** HTTP requests sent, and distinct deliveries by kind. */
  sent: number;
  deliveries: { valid: number; poison: number; forged: number; stale: number };
  resends: { redeliveries: number; slackRetries: number; afterFailure: number };
  accepted: { responses: number; events: number };
  notAccepted: Record<string, number>;
  rejected: Record<string, number>;
  processed: Record<string, number>;
  duplicatesSkipped: Record<string, number>;
  consumerFailures: Record<string, number>;
  injected: {
    randomFailures: number;
    poisonFailures: number;
    sqsOutages: number;
    dynamodbOutages: number;
    /** Clean Ctrl-C stops followed by a start on the same data; messages restored from the snapshot. */
    restarts: number;
    restoredMessages: number;
  };
  deadLettered: { poisonEvents: number; intact: number; messages: number; byQueue: Record<string, number> };
  neverAccepted: number;
  unexpectedAnswers: number;
  lost: number;
  doubled: number;
  /** Rejected deliveries found in the archive or processed; processed events nobody sent. */
  rejectedArchived: number;
  phantoms: number;
  problems: string[];
}

type Kind = "valid" | "poison" | "forged" | "stale";

interface Delivery {
  id: string;
  kind: Kind;
  fixture: Fixture;
  consumers: string[];
  accepted: boolean;
  answered401: boolean;
  slackRetryNum: number;
  /** The DLQ body must contain this (poison only). */
  marker?: string;
}

interface Job {
  delivery: Delivery;
  purpose: "first" | "duplicate" | "retry";
  notBefore: number;
}

interface Runtime {
  child: ChildProcess;
  url: string;
  sqsEndpoint: string;
  output: () => string;
  exited: Promise<number | null>;
}

const GITHUB_SECRET = "soak-github-secret";
const SLACK_SECRET = "soak-slack-secret";
const POISON_MARKER = "SOAK-POISON-7f3a";

export async function runSoak(input: Partial<SoakOptions> & { root: string }): Promise<SoakFigures> {
  const options: SoakOptions = { ...DEFAULTS, ...input };
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), "gateway-soak-"));
  const outputs: string[] = [];
  const problems: string[] = [];
  let runtime = await startRuntime(options.root, dataDir);
  log(`runtime at ${runtime.url} (data in ${dataDir})`);

  const deliveries = plan(options);
  const jobs: Job[] = deliveries.map((delivery) => ({ delivery, purpose: "first", notBefore: 0 }));
  let nextFirst = 0;
  const later: Job[] = [];
  const figures = emptyFigures(options);
  for (const d of deliveries) figures.deliveries[d.kind]++;

  // ---- faults, one after the other, each when the sending has reached its share ----
  const progress = () => nextFirst / jobs.length;
  const faultLog: string[] = [];
  const faultRunner = (async () => {
    const at = async (share: number) => {
      while (progress() < share && nextFirst < jobs.length) await sleep(50);
    };
    const faults = async (query: string) => {
      const response = await fetch(`${runtime.url}/_/faults?${query}`, { method: "POST" });
      return response.json();
    };
    if (options.faults.includes("sqs")) {
      await at(0.15);
      await faults("sqs=down");
      faultLog.push(`sqs down at ${progress().toFixed(2)}`);
      figures.injected.sqsOutages++;
      await sleep(options.outageSeconds * 1000);
      await faults("sqs=up");
    }
    if (options.faults.includes("consumer")) {
      await at(0.3);
      await faults(`consumerFailureRate=${options.consumerFailureRate}`);
      faultLog.push(`consumers failing at ${progress().toFixed(2)}`);
      await sleep(options.outageSeconds * 2000);
      await faults("consumerFailureRate=0");
    }
    if (options.faults.includes("dynamodb")) {
      await at(0.5);
      await faults("dynamodb=down");
      faultLog.push(`dynamodb down at ${progress().toFixed(2)}`);
      figures.injected.dynamodbOutages++;
      await sleep(options.outageSeconds * 1000);
      await faults("dynamodb=up");
    }
    if (options.faults.includes("restart")) {
      await at(0.7);
      // Deliveries keep coming while it is down: refused connections, sent again later.
      faultLog.push(`SIGINT at ${progress().toFixed(2)}`);
      runtime.child.kill("SIGINT");
      const code = await runtime.exited;
      outputs.push(runtime.output());
      if (code !== 0 || !/Stopped\./.test(runtime.output())) problems.push(`runtime stopped with ${code}`);
      else figures.injected.restarts++;
      runtime = await startRuntime(options.root, dataDir);
      log(`restarted: runtime at ${runtime.url}`);
    }
  })();
  let faultsDone = false;
  void faultRunner.finally(() => {
    faultsDone = true;
  });

  // ---- sending ----
  const secrets = { github: GITHUB_SECRET, slack: SLACK_SECRET };
  const deadline = started + options.seconds * 1000;
  let inflight = 0;
  let allowance = 0;
  let lastTick = Date.now();
  let lastBurst = Date.now();
  let lastProgress = Date.now();

  const send = async (job: Job) => {
    const d = job.delivery;
    figures.sent++;
    if (job.purpose === "duplicate") {
      if (d.fixture.provider === "github") figures.resends.redeliveries++;
      else figures.resends.slackRetries++;
    } else if (job.purpose === "retry") figures.resends.afterFailure++;
    const fixture = job.purpose === "first" || d.fixture.provider === "github" ? d.fixture : slackRetry(d);
    const now = d.kind === "stale" ? Date.now() - 10 * 60_000 : Date.now();
    const request = signFixture(
      fixture,
      d.kind === "forged" ? { github: "not-the-secret", slack: "not-the-secret" } : secrets,
      now,
    );
    let status = 0;
    let body = "";
    try {
      const response = await fetch(new URL(request.path, runtime.url), {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(15_000),
      });
      status = response.status;
      body = await response.text();
    } catch (error) {
      body = String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name);
    }
    const accepted = status >= 200 && status < 300;
    if (d.kind === "forged" || d.kind === "stale") {
      if (status === 401) {
        d.answered401 = true;
        const reason = errorOf(body) ?? "401";
        figures.rejected[reason] = (figures.rejected[reason] ?? 0) + 1;
      } else if (accepted || (status >= 400 && status < 500)) {
        figures.unexpectedAnswers++;
        problems.push(`${d.kind} delivery ${d.id} answered ${status} ${body.slice(0, 100)}`);
      } else {
        countNotAccepted(figures, status, body);
        later.push({ delivery: d, purpose: "retry", notBefore: Date.now() + 1000 });
      }
      return;
    }
    if (accepted) {
      figures.accepted.responses++;
      if (!d.accepted) {
        d.accepted = true;
        figures.accepted.events++;
        if (job.purpose !== "retry" && Math.random() < options.duplicateShare)
          later.push({
            delivery: d,
            purpose: "duplicate",
            notBefore: Date.now() + 200 + Math.random() * 3000,
          });
      }
    } else if (status >= 400 && status < 500) {
      figures.unexpectedAnswers++;
      problems.push(`${d.kind} delivery ${d.id} answered ${status} ${body.slice(0, 100)}`);
    } else {
      countNotAccepted(figures, status, body);
      // GitHub and Slack send again later; so does the soak.
      if (!d.accepted) later.push({ delivery: d, purpose: "retry", notBefore: Date.now() + 1000 });
    }
  };

  const take = (): Job | undefined => {
    const now = Date.now();
    const due = later.findIndex((j) => j.notBefore <= now);
    if (due >= 0) return later.splice(due, 1)[0];
    if (nextFirst < jobs.length) return jobs[nextFirst++];
    return undefined;
  };

  const running = new Set<Promise<void>>();
  while (Date.now() < deadline) {
    const now = Date.now();
    allowance = Math.min(
      allowance + ((now - lastTick) / 1000) * options.rate,
      options.rate + options.burstSize,
    );
    lastTick = now;
    if (options.burstEverySeconds > 0 && now - lastBurst >= options.burstEverySeconds * 1000) {
      allowance += options.burstSize;
      lastBurst = now;
    }
    if (now - lastProgress >= 5000) {
      lastProgress = now;
      log(
        `  sent ${figures.sent}, accepted ${figures.accepted.events}/${figures.deliveries.valid + figures.deliveries.poison} events, ${later.length} to resend, ${faultLog.join("; ")}`,
      );
    }
    while (allowance >= 1 && inflight < options.concurrency) {
      const job = take();
      if (!job) break;
      allowance--;
      inflight++;
      const p = send(job).finally(() => {
        inflight--;
        running.delete(p);
      });
      running.add(p);
    }
    if (nextFirst >= jobs.length && later.length === 0 && inflight === 0 && faultsDone) break;
    await sleep(20);
  }
  await Promise.all(running);
  await faultRunner;
  for (const d of deliveries)
    if ((d.kind === "valid" || d.kind === "poison") && !d.accepted) figures.neverAccepted++;
    else if ((d.kind === "forged" || d.kind === "stale") && !d.answered401) figures.neverAccepted++;
  log(`sending done in ${((Date.now() - started) / 1000).toFixed(0)} s; waiting for the queues to drain`);

  // ---- reconciliation ----
  await settle(runtime.url, options.settleSeconds * 1000, deliveries, log);
  const archived = await inspectEvents(runtime.url, deliveries);
  const dlq = await readDeadLetters(runtime.sqsEndpoint, ["archive-dlq", "github-dlq"]);
  runtime.child.kill("SIGINT");
  await runtime.exited;
  outputs.push(runtime.output());
  rmSync(dataDir, { recursive: true, force: true });

  const lines = parseOutputs(outputs.join("\n"));
  figures.runtimeRuns = outputs.length;
  figures.processed = lines.processedByConsumer;
  figures.duplicatesSkipped = lines.duplicates;
  figures.consumerFailures = lines.failures;
  figures.injected.randomFailures = lines.injected;
  figures.injected.poisonFailures = lines.poison;
  figures.injected.restoredMessages = lines.restored;
  figures.deadLettered.messages = dlq.messages.length;
  figures.deadLettered.byQueue = dlq.byQueue;

  const known = new Set(deliveries.map((d) => d.id));
  for (const key of lines.processed.keys()) {
    const id = key.slice(key.indexOf(" ") + 1);
    if (!known.has(id)) {
      figures.phantoms++;
      problems.push(`processed but never sent: ${key}`);
    }
  }
  for (const d of deliveries) {
    if (d.kind === "forged" || d.kind === "stale") {
      const seen =
        archived.get(d.id) !== undefined ||
        ["archive", "github"].some((c) => lines.processed.has(`${c} ${d.id}`));
      if (seen) {
        figures.rejectedArchived++;
        problems.push(`rejected ${d.kind} delivery ${d.id} was archived or processed`);
      }
      continue;
    }
    if (!d.accepted) continue;
    for (const consumer of d.consumers) {
      const count = lines.processed.get(`${consumer} ${d.id}`) ?? 0;
      const poisoned = d.kind === "poison" && consumer === "github";
      if (poisoned) {
        if (count > 0) {
          figures.doubled++;
          problems.push(`poison event ${d.id} was processed by ${consumer}`);
        }
        continue;
      }
      if (count === 0) {
        figures.lost++;
        problems.push(`${consumer} never processed ${d.id}`);
      } else if (count > 1) {
        figures.doubled++;
        problems.push(`${consumer} processed ${d.id} ${count} times`);
      }
    }
    const entry = archived.get(d.id);
    if (!entry) {
      figures.lost++;
      problems.push(`${d.id} accepted but not in the archive`);
    } else {
      for (const c of entry.consumers.filter((x) => d.consumers.includes(x.consumer))) {
        const wanted = d.kind === "poison" && c.consumer === "github" ? "ABSENT" : "COMPLETED";
        if (c.status !== wanted) problems.push(`${d.id}: ${c.consumer} is ${c.status}, expected ${wanted}`);
      }
    }
    if (d.kind === "poison") {
      const copies = dlq.messages.filter((m) => m.queue === "github-dlq" && m.id === d.id);
      if (copies.length === 0) {
        figures.lost++;
        problems.push(`poison event ${d.id} is not in github-dlq`);
      } else {
        figures.deadLettered.poisonEvents++;
        if (copies.some((m) => m.body.includes(d.marker!) && m.body.includes(d.id)))
          figures.deadLettered.intact++;
        else problems.push(`poison event ${d.id} in github-dlq is not intact`);
      }
    }
  }
  for (const m of dlq.messages) {
    const d = deliveries.find((x) => x.id === m.id);
    if (d?.kind !== "poison" || m.queue !== "github-dlq")
      problems.push(`unexpected dead letter ${m.queue} ${m.id}`);
  }
  figures.problems = problems;
  figures.elapsedSeconds = Math.round((Date.now() - started) / 1000);
  return figures;
}

/** The deliveries to send: templates with fresh ids, a share poisoned, forged or stale. */
function plan(options: SoakOptions): Delivery[] {
  const github = [
    ...exampleFixtures().filter((f) => f.expect.status === 202),
    ...loadFixtures([join(options.root, "fixtures", "github")]).filter((f) => f.expect.status === 202),
  ];
  const slack = loadFixtures([join(options.root, "fixtures", "slack")]).filter(
    (f) => f.expect.event?.id?.startsWith("slack:Ev") && !f.request.headers["x-slack-retry-num"],
  );
  const small = github.filter(
    (f) => f.request.headers["content-type"] === "application/json" && f.request.body.length < 50_000,
  );
  const out: Delivery[] = [];
  for (let i = 0; i < options.deliveries; i++) {
    const roll = Math.random();
    const kind: Kind =
      roll < options.poisonShare
        ? "poison"
        : roll < options.poisonShare + options.badShare / 2
          ? "forged"
          : roll < options.poisonShare + options.badShare
            ? "stale"
            : "valid";
    // About one in five is a Slack event; stale ones are Slack's (GitHub signs no timestamp).
    const useSlack = kind === "stale" || (kind !== "poison" && Math.random() < 0.2);
    if (useSlack) {
      const template = slack[Math.floor(Math.random() * slack.length)]!;
      const eventId = `Ev${randomUUID().replaceAll("-", "").slice(0, 16).toUpperCase()}`;
      const old = /"event_id":"([^"]+)"/.exec(template.request.body)![1]!;
      const fixture: Fixture = {
        ...template,
        request: {
          ...template.request,
          body: template.request.body.replace(`"event_id":"${old}"`, `"event_id":"${eventId}"`),
        },
      };
      out.push(delivery(`slack:${eventId}`, kind, fixture, ["archive"]));
    } else {
      const template = (kind === "poison" ? small : github)[
        Math.floor(Math.random() * (kind === "poison" ? small : github).length)
      ]!;
      const uuid = randomUUID();
      let body = template.request.body;
      if (kind === "poison")
        body = JSON.stringify({ ...JSON.parse(body), soak_marker: `${POISON_MARKER} ${uuid}` });
      const fixture: Fixture = {
        ...template,
        request: {
          ...template.request,
          headers: { ...template.request.headers, "x-github-delivery": uuid },
          body,
        },
      };
      const d = delivery(`github:${uuid}`, kind, fixture, ["archive", "github"]);
      if (kind === "poison") d.marker = `${POISON_MARKER} ${uuid}`;
      out.push(d);
    }
  }
  return out;
}

function delivery(id: string, kind: Kind, fixture: Fixture, consumers: string[]): Delivery {
  return { id, kind, fixture, consumers, accepted: false, answered401: false, slackRetryNum: 0 };
}

/** Slack's retry of a delivery: same body, `X-Slack-Retry-Num` one higher. */
function slackRetry(d: Delivery): Fixture {
  d.slackRetryNum++;
  return {
    ...d.fixture,
    request: {
      ...d.fixture.request,
      headers: {
        ...d.fixture.request.headers,
        "x-slack-retry-num": String(d.slackRetryNum),
        "x-slack-retry-reason": "http_timeout",
      },
    },
  };
}

function countNotAccepted(figures: SoakFigures, status: number, body: string): void {
  const key = status === 0 ? `no answer (${body})` : `${status}${errorOf(body) ? ` ${errorOf(body)}` : ""}`;
  figures.notAccepted[key] = (figures.notAccepted[key] ?? 0) + 1;
}

function errorOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

function startRuntime(root: string, dataDir: string): Promise<Runtime> {
  const child = spawn(process.execPath, [join(root, "scripts", "start.cjs")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: "0",
      LOCAL_DATA_DIR: dataDir,
      LOCAL_VISIBILITY_TIMEOUT_SECONDS: "2",
      LOCAL_DRAIN_TIMEOUT_MS: "3000",
      LOCAL_FAULTS: "1",
      LOCAL_POISON_MARKER: POISON_MARKER,
      LOCAL_POISON_CONSUMERS: "github",
      GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_BOT_TOKEN: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      const sqs = /SQS\/S3 (http:\/\/\S+)/.exec(text)?.[1];
      if (url && sqs) {
        clearInterval(timer);
        resolve({ child, url, sqsEndpoint: sqs, output: () => text, exited });
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`runtime exited with ${code}:\n${text.slice(-4000)}`));
    });
  });
}

// biome-ignore lint/suspicious/noExplicitAny: inspector answers are read loosely
type Json = Record<string, any>;

/** Waits until the running consumers' queues are empty (poison events dead-lettered) three times in a row. */
async function settle(url: string, timeoutMs: number, deliveries: Delivery[], log: (line: string) => void) {
  const poison = deliveries.filter((d) => d.kind === "poison" && d.accepted).length;
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let lastLog = 0;
  while (Date.now() < deadline) {
    try {
      const health = (await (await fetch(`${url}/_/health`)).json()) as Json;
      const q = health.queues as Record<string, { ready: number; inflight: number; deadLettered: number }>;
      const busy = ["archive", "github"].reduce((n, c) => n + (q[c]?.ready ?? 0) + (q[c]?.inflight ?? 0), 0);
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(
          `  queued: archive ${q.archive?.ready}+${q.archive?.inflight}, github ${q.github?.ready}+${q.github?.inflight}; dead-lettered ${q.github?.deadLettered}/${poison}`,
        );
      }
      quiet = busy === 0 ? quiet + 1 : 0;
      if (quiet >= 3) return;
    } catch {
      quiet = 0;
    }
    await sleep(500);
  }
  throw new Error(`queues did not drain in ${timeoutMs / 1000} s`);
}

/** `GET /_/events/<id>` for every delivery: its archive entry and per-consumer state. */
async function inspectEvents(url: string, deliveries: Delivery[]) {
  const found = new Map<string, { consumers: { consumer: string; status: string }[] }>();
  let next = 0;
  const worker = async () => {
    while (next < deliveries.length) {
      const d = deliveries[next++]!;
      const response = await fetch(`${url}/_/events/${encodeURIComponent(d.id)}`);
      if (response.status === 200)
        found.set(d.id, (await response.json()) as { consumers: { consumer: string; status: string }[] });
      else await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return found;
}

/** Every message of the dead-letter queues, read through the SQS endpoint (each hidden 5 minutes once read). */
async function readDeadLetters(endpoint: string, names: string[]) {
  const sqs = new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const messages: { queue: string; id: string; body: string }[] = [];
  const byQueue: Record<string, number> = {};
  try {
    for (const name of names) {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      byQueue[name] = 0;
      for (let empty = 0; empty < 2; ) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 300,
            WaitTimeSeconds: 0,
          }),
        );
        if (Messages.length === 0) {
          empty++;
          continue;
        }
        for (const m of Messages) {
          byQueue[name]++;
          messages.push({ queue: name, id: idOf(m.Body ?? ""), body: m.Body ?? "" });
        }
      }
    }
  } finally {
    sqs.destroy();
  }
  return { messages, byQueue };
}

function idOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    if (typeof parsed.id === "string") return parsed.id;
  } catch {
    // fall through
  }
  return /"id"\s*:\s*"([^"]+)"/.exec(body)?.[1] ?? "?";
}

function parseOutputs(text: string) {
  const processed = new Map<string, number>();
  const processedByConsumer: Record<string, number> = {};
  const duplicates: Record<string, number> = {};
  const failures: Record<string, number> = {};
  let injected = 0;
  let poison = 0;
  for (const m of text.matchAll(/✓ (\S+) processed (\S+)/g)) {
    const key = `${m[1]} ${m[2]}`;
    processed.set(key, (processed.get(key) ?? 0) + 1);
    processedByConsumer[m[1]!] = (processedByConsumer[m[1]!] ?? 0) + 1;
  }
  for (const m of text.matchAll(/= (\S+) skipped duplicate /g))
    duplicates[m[1]!] = (duplicates[m[1]!] ?? 0) + 1;
  for (const m of text.matchAll(/✗ (\S+) failed /g)) failures[m[1]!] = (failures[m[1]!] ?? 0) + 1;
  for (const m of text.matchAll(/⚡ \S+ (poison|injected failure) /g)) {
    if (m[1] === "poison") poison++;
    else injected++;
  }
  let restored = 0;
  for (const m of text.matchAll(/restored (\d+) queued messages/g)) restored += Number(m[1]);
  return { processed, processedByConsumer, duplicates, failures, injected, poison, restored };
}

function emptyFigures(options: SoakOptions): SoakFigures {
  const { log: _log, root: _root, ...rest } = options;
  return {
    options: rest,
    elapsedSeconds: 0,
    runtimeRuns: 0,
    sent: 0,
    deliveries: { valid: 0, poison: 0, forged: 0, stale: 0 },
    resends: { redeliveries: 0, slackRetries: 0, afterFailure: 0 },
    accepted: { responses: 0, events: 0 },
    notAccepted: {},
    rejected: {},
    processed: {},
    duplicatesSkipped: {},
    consumerFailures: {},
    injected: {
      randomFailures: 0,
      poisonFailures: 0,
      sqsOutages: 0,
      dynamodbOutages: 0,
      restarts: 0,
      restoredMessages: 0,
    },
    deadLettered: { poisonEvents: 0, intact: 0, messages: 0, byQueue: {} },
    neverAccepted: 0,
    unexpectedAnswers: 0,
    lost: 0,
    doubled: 0,
    rejectedArchived: 0,
    phantoms: 0,
    problems: [],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
