/** The soak's reconciliation: the inspector API, the dead-letter queues and the runtime's output lines. */
import { rmSync } from "node:fs";
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Delivery, SoakRun } from "./types";

type OutputLines = ReturnType<typeof parseOutputs>;
type Archived = Awaited<ReturnType<typeof inspectEvents>>;
type DeadLetters = Awaited<ReturnType<typeof readDeadLetters>>;

/**
 * Waits for the queues to drain, reads the archive and the dead-letter queues, stops the runtime,
 * then checks every delivery: each accepted event processed once by each matching consumer and
 * archived, each poison event intact in github-dlq, nothing rejected archived, nothing unknown
 * processed. Adds its counts to `run.figures` and what is wrong to `run.problems`.
 *
 * @example
 * await reconcile(run, deliveries);
 */
export async function reconcile(run: SoakRun, deliveries: Delivery[]): Promise<void> {
  const { runtime } = run;
  await settle(runtime.url, run.options.settleSeconds * 1000, deliveries, run.log);
  const archived = await inspectEvents(runtime.url, deliveries);
  const dlq = await readDeadLetters(runtime.sqsEndpoint, ["archive-dlq", "github-dlq"]);
  runtime.child.kill("SIGINT");
  await runtime.exited;
  run.outputs.push(runtime.output());
  rmSync(run.dataDir, { recursive: true, force: true });

  const lines = parseOutputs(run.outputs.join("\n"));
  countLines(run, lines, dlq);
  checkPhantoms(run, deliveries, lines);
  for (const d of deliveries) {
    if (d.kind === "forged" || d.kind === "stale") checkRejected(run, d, lines, archived);
    else if (d.accepted) checkAccepted(run, d, lines, archived, dlq);
  }
  checkDeadLetters(run, deliveries, dlq);
}

function countLines(run: SoakRun, lines: OutputLines, dlq: DeadLetters): void {
  const { figures } = run;
  figures.runtimeRuns = run.outputs.length;
  figures.processed = lines.processedByConsumer;
  figures.duplicatesSkipped = lines.duplicates;
  figures.consumerFailures = lines.failures;
  figures.injected.randomFailures = lines.injected;
  figures.injected.poisonFailures = lines.poison;
  figures.injected.restoredMessages = lines.restored;
  figures.deadLettered.messages = dlq.messages.length;
  figures.deadLettered.byQueue = dlq.byQueue;
}

/** Processed events nobody sent. */
function checkPhantoms(run: SoakRun, deliveries: Delivery[], lines: OutputLines): void {
  const known = new Set(deliveries.map((d) => d.id));
  for (const key of lines.processed.keys()) {
    const id = key.slice(key.indexOf(" ") + 1);
    if (!known.has(id)) {
      run.figures.phantoms++;
      run.problems.push(`processed but never sent: ${key}`);
    }
  }
}

/** A forged or stale delivery must be neither archived nor processed. */
function checkRejected(run: SoakRun, d: Delivery, lines: OutputLines, archived: Archived): void {
  const seen =
    archived.get(d.id) !== undefined ||
    ["archive", "github"].some((c) => lines.processed.has(`${c} ${d.id}`));
  if (!seen) return;
  run.figures.rejectedArchived++;
  run.problems.push(`rejected ${d.kind} delivery ${d.id} was archived or processed`);
}

/** An accepted event: processed once per consumer (poison: never by github), archived, poison dead-lettered. */
function checkAccepted(run: SoakRun, d: Delivery, lines: OutputLines, archived: Archived, dlq: DeadLetters) {
  for (const consumer of d.consumers) checkProcessedOnce(run, d, consumer, lines);
  checkArchived(run, d, archived);
  if (d.kind === "poison") checkPoisonDeadLettered(run, d, dlq);
}

function checkProcessedOnce(run: SoakRun, d: Delivery, consumer: string, lines: OutputLines): void {
  const { figures, problems } = run;
  const count = lines.processed.get(`${consumer} ${d.id}`) ?? 0;
  if (d.kind === "poison" && consumer === "github") {
    if (count > 0) {
      figures.doubled++;
      problems.push(`poison event ${d.id} was processed by ${consumer}`);
    }
  } else if (count === 0) {
    figures.lost++;
    problems.push(`${consumer} never processed ${d.id}`);
  } else if (count > 1) {
    figures.doubled++;
    problems.push(`${consumer} processed ${d.id} ${count} times`);
  }
}

function checkArchived(run: SoakRun, d: Delivery, archived: Archived): void {
  const entry = archived.get(d.id);
  if (!entry) {
    run.figures.lost++;
    run.problems.push(`${d.id} accepted but not in the archive`);
    return;
  }
  for (const c of entry.consumers.filter((x) => d.consumers.includes(x.consumer))) {
    const wanted = d.kind === "poison" && c.consumer === "github" ? "ABSENT" : "COMPLETED";
    if (c.status !== wanted) run.problems.push(`${d.id}: ${c.consumer} is ${c.status}, expected ${wanted}`);
  }
}

function checkPoisonDeadLettered(run: SoakRun, d: Delivery, dlq: DeadLetters): void {
  const copies = dlq.messages.filter((m) => m.queue === "github-dlq" && m.id === d.id);
  if (copies.length === 0) {
    run.figures.lost++;
    run.problems.push(`poison event ${d.id} is not in github-dlq`);
    return;
  }
  run.figures.deadLettered.poisonEvents++;
  if (copies.some((m) => m.body.includes(d.marker!) && m.body.includes(d.id)))
    run.figures.deadLettered.intact++;
  else run.problems.push(`poison event ${d.id} in github-dlq is not intact`);
}

/** Only poison events may be dead-lettered, and only in github-dlq. */
function checkDeadLetters(run: SoakRun, deliveries: Delivery[], dlq: DeadLetters): void {
  for (const m of dlq.messages) {
    const d = deliveries.find((x) => x.id === m.id);
    if (d?.kind !== "poison" || m.queue !== "github-dlq")
      run.problems.push(`unexpected dead letter ${m.queue} ${m.id}`);
  }
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
