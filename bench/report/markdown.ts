/** Writes BENCHMARKS.md from one run's results: machine, method, tables, each target MET or MISSED. */
import { bytes, fmt, ratio } from "../lib/stats";
import type { Target } from "../lib/target";
import type { PipelineDone } from "../suites/pipeline";
import type { BenchResults } from "./types";

/** A column: header, cell of one row, and "r" for right-aligned figures. */
type Column<T> = [header: string, cell: (row: T) => string, align?: "r"];

function table<T>(rows: readonly T[], columns: Column<T>[]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const rule = columns.map(([, , align]) => (align === "r" ? "---:" : "---"));
  return [
    line(columns.map(([h]) => h)),
    line(rule),
    ...rows.map((row) => line(columns.map(([, cell]) => cell(row)))),
  ].join("\n");
}

const list = (items: readonly string[]) => items.map((item) => `- ${item}`).join("\n");
const verdicts = (targets: readonly Target[]) =>
  list(targets.map((t) => `${t.label}: ${t.figure} — ${verdict(t)}`));
const verdict = (target: Target) => (target.met ? "**MET**" : "**MISSED**");
const us = (value: number) => (Number.isFinite(value) ? `${value.toFixed(value >= 100 ? 0 : 1)} µs` : "n/a");
const ms = (value: number) => value.toFixed(1);

/** Every target of the run, in report order. */
export function allTargets(results: BenchResults): { section: string; target: Target }[] {
  const throughput = (results.throughput?.corpora ?? []).flatMap((corpus) =>
    corpus.targets.map((target) => ({ section: `Throughput, ${corpus.corpus}`, target })),
  );
  const cold = (results.cold?.targets ?? []).map((target) => ({ section: "Cold start", target }));
  const lambda = (results.lambda?.targets ?? []).map((target) => ({ section: "Edge in Lambda", target }));
  const cost = (results.cost?.targets ?? []).map((target) => ({ section: "Cost", target }));
  const pipeline = pipelineTargets(results).map((target) => ({ section: "Local pipeline", target }));
  return [...lambda, ...cost, ...throughput, ...cold, ...pipeline];
}

/** The pipeline's targets; none when it did not run or is a TODO. */
function pipelineTargets(results: BenchResults): Target[] {
  return results.pipeline?.status === "done" ? results.pipeline.targets : [];
}

/** One section: a title, how it was measured, then its tables, verdicts and notes. */
interface Section {
  title: string;
  method: string;
  body: string[];
}

function throughput(r: BenchResults): Section[] {
  const t = r.throughput;
  if (!t) return [];
  return t.corpora.map((c) => ({
    title: `1. Edge throughput, one core: ${c.title}`,
    method: `\`createIngestApp\` (the Lambda handler's wiring) on an in-memory queue that only counts, against a floor (one HMAC and one \`JSON.parse\`) and the providers' own libraries; one request at a time, signing outside the timed loop. ${c.events} requests per pass, median body ${fmt(c.medianBodyBytes)} bytes; warm-up ${t.options.warmupMs} ms, ${t.options.rounds} interleaved rounds of ~${t.options.roundMs} ms.`,
    body: [
      table(c.contenders, [
        ["contender", (x) => x.name],
        ["events/s (median)", (x) => fmt(x.eventsPerSecond), "r"],
        ["× floor", (x) => ratio(x.ratioToReference), "r"],
        ["µs per event", (x) => (1e6 / x.eventsPerSecond).toFixed(1), "r"],
        [
          "answers checked",
          (x) => (x.problems.length ? `${x.problems.length} wrong: ${x.problems[0]}` : "ok"),
        ],
        ["what it does", (x) => x.description],
      ]),
      verdicts(c.targets),
      list(c.notes),
    ],
  }));
}

function lambda(r: BenchResults): Section[] {
  const l = r.lambda;
  if (!l) return [];
  const o = l.options;
  const cpu = table(l.cpu, [
    ["contender", (x) => x.name],
    ["CPU µs per delivery", (x) => fmt(x.cpuUs), "r"],
    ["× floor + send", (x) => ratio(x.ratio), "r"],
    ["SQS requests per delivery", (x) => x.sendsPerDelivery.toFixed(2), "r"],
    ["wall µs", (x) => fmt(x.wallUs), "r"],
    [
      "answers",
      (x) =>
        Object.entries(x.statuses)
          .map(([k, n]) => `${n}× ${k}`)
          .join(", "),
    ],
    ["what it runs", (x) => x.description],
  ]);
  const cold = table(l.cold, [
    ["bundle", (x) => x.name],
    ["start → first answer, ms", (x) => ms(x.answerMs), "r"],
    ["× SQS-only", (x) => ratio(x.ratio), "r"],
    ["start → loaded, ms", (x) => ms(x.loadedMs), "r"],
    ["what it runs", (x) => x.description],
  ]);
  return [
    {
      title: "5. The edge as it runs in Lambda",
      method: `The built bundle (\`dist/ingest/index.js\`, ${bytes(l.bundleBytes)}, as \`npm run build\` writes it, with \`@aws-sdk/client-s3\`, the Tracer and the Powertools Logger bundled apart in \`dist/ingest/node_modules\`, loaded only for a claim check, with tracing on, or for a first log line; metrics written as EMF by \`src/edge/emf.ts\`) runs in a process of its own with the environment the stack gives the function (\`functionEnvironment\` + \`edgeEnvironment\`, routes from \`edgeRoutes\`, secrets from Secrets Manager) plus what the Lambda runtime sets; its real SQS client, and its Secrets Manager reads (signed \`GetSecretValue\` calls over that client's handler and credentials, \`src/edge/adapters/secrets-manager-http.ts\`), talk to \`bench/lambda/stub.cjs\` in another process (AWS JSON protocol, MD5s checked). Logs at the deployed level (\`logLevel\`, default WARN: no line per accepted delivery; the INFO row logs one) and metrics on, on a pipe. CPU: \`process.cpuUsage\` of that process over ${o.passes} passes of ${o.deliveries} GitHub example deliveries after one untimed pass, ${o.rounds} rounds, contenders interleaved, each in a fresh process; the floor + send is \`bench/lambda/floor-send.ts\` bundled the same way. Cold start: a fresh process loads the bundle and answers one signed \`push\` delivery (\`bench/lambda/first-answer.cjs\`); ${o.coldRuns} interleaved runs, medians, ratios per run. Reproduce: \`npm run bench -- --only lambda\`.`,
      body: [cpu, cold, verdicts(l.targets)],
    },
  ];
}

function cost(r: BenchResults): Section[] {
  const c = r.cost;
  if (!c) return [];
  const lines = table(c.lines, [
    ["bill item", (x) => x.item],
    ["per delivery", (x) => `${x.perDelivery.toFixed(3)} ${x.unit}`, "r"],
    ["$ per million deliveries", (x) => x.dollarsPerMillion.toFixed(2), "r"],
    ["counted from", (x) => x.basis],
  ]);
  const p = c.prices;
  return [
    {
      title: "6. Cost per million GitHub deliveries",
      method: `${c.deliveries} GitHub example deliveries, one at a time, through the local pipeline (\`startLocalRuntime\`, the four default consumers, logs at the deployed level (\`logLevel\`, default WARN); \`bench/pipeline/cost-host.ts\`) with counting proxies in front of SQS and DynamoDB (\`bench/pipeline/counting-proxy.ts\`: requests by action, 64 KB chunks, write units from the sizes of the items written, GSI writes from the index projections). Mean archived item ${fmt(c.archiveItemBytes)} B; edge p50 answer ${ms(c.edgeP50Ms)} ms; ${c.emptyReceives} empty long polls left out. Prices: ${p.asOf}: SQS $${p.sqsPerMillionRequests}/M requests (per 64 KB), DynamoDB on demand $${p.dynamoPerMillionWrites}/M write and $${p.dynamoPerMillionReads}/M read units, storage $${p.dynamoStoragePerGbMonth}/GB-month, PITR $${p.dynamoPitrPerGbMonth}/GB-month, Lambda arm64 $${p.lambdaArmPerGbSecond}/GB-s + $${p.lambdaPerMillionRequests}/M requests, CloudWatch Logs $${p.cloudwatchLogsIngestPerGb}/GB ingested, EventBridge $${p.eventBridgePerMillionEvents}/M events. Reproduce: \`npm run bench -- --only cost\`.`,
      body: [
        lines,
        `**Total: $${c.totalPerMillion.toFixed(2)} per million GitHub deliveries.** Beside it, AWS's inbound-webhook quick start (function URL → Lambda → EventBridge, no archive, no idempotency): ~$${c.quickStartPerMillion.toFixed(2)} per million (EventBridge's $1/M plus the Lambda), as estimated in issue 15.`,
        verdicts(c.targets),
      ],
    },
  ];
}

function tracer(r: BenchResults): Section[] {
  const t = r.tracer;
  if (!t) return [];
  const method = `The edge core in fresh child processes with and without the Powertools Tracer loaded (its \`async_hooks\` hook slows every \`await\` in the process); ${t.rounds} interleaved rounds of ${t.runMs} ms, medians.`;
  const body = table(t.corpora, [
    ["corpus", (c) => c.corpus],
    ["events/s", (c) => fmt(c.plainEventsPerSecond), "r"],
    ["with the Tracer", (c) => fmt(c.tracerEventsPerSecond), "r"],
    ["ratio", (c) => ratio(c.ratio), "r"],
    ["one await, ns", (c) => `${c.plainAwaitNs.toFixed(0)} → ${c.tracerAwaitNs.toFixed(0)}`, "r"],
  ]);
  return [{ title: "1b. With tracing on", method, body: [body] }];
}

function breakdown(r: BenchResults): Section[] {
  const b = r.breakdown;
  if (!b) return [];
  const rungs = b.corpora[0]?.rungs ?? [];
  const step = (value: number, i: number) => (i === 0 ? "" : ` (${value >= 0 ? "+" : ""}${us(value)})`);
  const perCorpus: Column<number>[] = b.corpora.map((c) => [
    c.title,
    (i) => `${us(c.rungs[i]!.us)}${step(c.rungs[i]!.stepUs, i)}`,
    "r",
  ]);
  return [
    {
      title: "1c. Where the edge's time goes",
      method: `Each rung adds one stage of the edge (its own functions from \`src/\`) to the floor; µs per event, median of ${b.options.rounds} rounds; in brackets the step from the rung above (median of per-round differences; a µs or two is noise).`,
      body: [
        table(
          rungs.map((_, i) => i),
          [["rung", (i) => rungs[i]!.name], ...perCorpus, ["stage", (i) => rungs[i]!.description]],
        ),
        table(b.primitives, [
          ["primitive", (p) => p.name],
          ["µs per operation", (p) => (p.ns / 1000).toFixed(2), "r"],
        ]),
        ...(r.profiles ?? []).map((p) => {
          const top = table(p.functions.slice(0, 12), [
            ["function (CPU profile, self time)", (f) => `\`${f.name}\` ${f.where}`],
            ["share", (f) => `${(f.share * 100).toFixed(1)}%`, "r"],
          ]);
          return `${p.title} (\`npx tsx bench/profile.ts edge github\` prints the same):\n\n${top}`;
        }),
      ],
    },
  ];
}

function cold(r: BenchResults): Section[] {
  const c = r.cold;
  if (!c) return [];
  const method = `A fresh \`node\` process \`require\`s one bundle (built by \`bundleHandler\` from \`stacks/bundle.ts\`, as deployed) and looks up \`handler\`; tracing off unless the row says so. ${c.runs} interleaved runs after one untimed load each; medians. "start → loaded" counts from process start and is the figure the targets use.`;
  const composition = table(c.composition, [
    ["SQS-only + one edge dependency", (p) => p.label],
    ["size", (p) => bytes(p.bytes), "r"],
    ["added size", (p) => `+${bytes(p.addedBytes)}`, "r"],
    ["start → loaded, ms", (p) => ms(p.readyMs), "r"],
    ["added, ms (median of per-run differences)", (p) => ms(p.addedReadyMs), "r"],
  ]);
  const body = [
    table(c.bundles, [
      ["bundle", (b) => `${b.label} (\`${b.entry}\`)`],
      ["size", (b) => bytes(b.bytes), "r"],
      ["modules", (b) => String(b.modules), "r"],
      ["start → loaded, ms", (b) => ms(b.readyMs), "r"],
      ["require, ms", (b) => ms(b.requireMs), "r"],
      ["wall, ms", (b) => ms(b.wallMs), "r"],
      ["peak RSS", (b) => bytes(b.maxRssBytes), "r"],
      ["one await, ns", (b) => (Number.isFinite(b.awaitNs) ? b.awaitNs.toFixed(0) : "n/a"), "r"],
    ]),
    verdicts(c.targets),
    list(c.notes),
    c.composition.length ? composition : "",
    list(c.edgePackages.slice(0, 8).map((p) => `\`${p.name}\`: ${bytes(p.bytes)} of the edge bundle`)),
  ];
  return [{ title: "2. Cold start", method, body }];
}

function scaling(r: BenchResults): Section[] {
  const s = r.scaling;
  if (!s) return [];
  return [
    {
      title: "3. Scaling with payload size",
      method: `Synthetic GitHub \`push\` deliveries of 1 KiB to 1 MiB, \`ascii\` (pure ASCII) and \`utf8\` (one "é" per commit message); edge and floor side by side, ${s.options.rounds} rounds. "edge ÷ floor" is the median cost ratio (1.25 = the 0.8 throughput target); 1 MiB takes the claim-check path.`,
      body: [
        table(s.points, [
          ["payload", (p) => p.label + (p.claimChecked ? " (claim check)" : "")],
          ...(["ascii", "utf8"] as const).flatMap((key): Column<(typeof s.points)[0]>[] => [
            [`$key: floor`, (p) => us(p[key].floorUs), "r"],
            [`$key: edge`, (p) => us(p[key].edgeUs), "r"],
            [`$key: edge ÷ floor`, (p) => ratio(p[key].costRatio), "r"],
          ]),
        ]),
      ],
    },
  ];
}

function pipeline(r: BenchResults): Section[] {
  const p = r.pipeline;
  if (!p) return [];
  const title = "4. Local pipeline";
  if (p.status === "todo") return [{ title, method: `**TODO:** ${p.reason}.`, body: [] }];
  const running = p.consumers.filter((c) => c.enabled).map((c) => c.name);
  const burst = p.burst
    ? ` Burst, runtime only, at concurrency ${p.burst.concurrency} (deliveries at a time): per round, one pass of ${p.burst.deliveries} distinct deliveries and one of ${p.burst.deliveries} distinct deliveries each sent ${p.burst.copies} times at once (same body and \`x-github-delivery\`, so the same event id), interleaved; each timed from the first request until every copy answered 202 has ended and the queues are idle (\`/_/health\`): joined at the edge to the send of a copy still being queued (\`joined\` in \`/_/metrics\`, \`joinCopiesInFlight\` in \`src/edge/publisher.ts\`), or ended by the archive consumer (its processed + duplicate counters).`
    : "";
  const method = `Signed GitHub deliveries (${p.options.deliveries} per run) over keep-alive HTTP into \`startLocalRuntime\` (started as \`npm start\` does; consumers running: ${running.join(", ")}) and into Octokit's \`createNodeMiddleware\` (verify and dispatch only, no queue); ${p.options.rounds} interleaved rounds, medians. Processed/s: events queued ÷ time from the first request until the archive consumer has ended them all and the queues are idle. The local edge joins sends that reach one queue in the same turn into one \`SendMessageBatch\` (\`src/local/batching-queue.ts\`); the consumers and their pollers run in worker threads of their own (\`src/local/consumer-thread.ts\`, two by default, at a lower priority than the edge). The runtime runs with its default batching window of 0 (\`LOCAL_BATCHING_WINDOW_SECONDS\`): a poller hands over what it received at once, where the deployed consumers wait up to 1 s (the stack's \`batchingWindowSeconds\`) to fill a batch; the figures with that window follow the verdicts. Runtime CPU: user + system time of the runtime's process, every thread, from /proc. One \`await\` in the runtime's process: ${p.awaitNs.toFixed(0)} ns.${burst} Reproduce: \`npm run bench -- --only pipeline\`.`;
  const body = table(p.levels, [
    ["concurrency", (l) => String(l.concurrency), "r"],
    ["runtime answered/s", (l) => fmt(l.runtime.acceptedPerSecond), "r"],
    ["runtime processed/s", (l) => fmt(l.runtime.processedPerSecond), "r"],
    ["runtime p50 / p99, ms", (l) => `${ms(l.runtime.p50Ms)} / ${ms(l.runtime.p99Ms)}`, "r"],
    [
      "runtime CPU ms per delivery",
      (l) => (l.runtime.cpuMsPerDelivery === undefined ? "n/a" : ms(l.runtime.cpuMsPerDelivery)),
      "r",
    ],
    ["Octokit answered/s", (l) => fmt(l.octokit.acceptedPerSecond), "r"],
    ["Octokit p50 / p99, ms", (l) => `${ms(l.octokit.p50Ms)} / ${ms(l.octokit.p99Ms)}`, "r"],
    ["runtime ÷ Octokit, answered", (l) => ratio(l.acceptedRatio), "r"],
    ["unexpected answers", (l) => String(l.runtime.unexpected + l.octokit.unexpected), "r"],
  ]);
  const burstTable = p.burst
    ? table(
        p.burst.rounds.map((round, i) => ({ ...round, round: i + 1 })),
        [
          ["burst round", (b) => String(b.round), "r"],
          ["one pass, ms", (b) => fmt(b.singleMs), "r"],
          [`${p.burst.copies} copies at once, ms`, (b) => fmt(b.tripledMs), "r"],
          ["ratio", (b) => ratio(b.ratio), "r"],
          ["copies joined at the edge", (b) => String(b.joined), "r"],
          ["archive processed / deliveries queued", (b) => `${b.processed} / ${b.queued}`, "r"],
          ["archive duplicates", (b) => String(b.duplicate), "r"],
          ["unexpected answers", (b) => String(b.unexpected), "r"],
        ],
      )
    : "";
  return [
    { title, method, body: [body, burstTable, verdicts(p.targets), stackWindowLines(p), list(p.notes)] },
  ];
}

/** The comparison with the consumers' batching windows as deployed (not judged: the targets use the local default). */
function stackWindowLines(p: PipelineDone): string {
  const w = p.stackWindow;
  const b = p.burst;
  const level = p.levels.find((l) => l.concurrency === w?.burst.concurrency);
  if (!w || !b || !level) return "";
  return list([
    `For comparison, not judged: the same runs on a runtime started with \`LOCAL_BATCHING_WINDOW_SECONDS=stack\` (the deployed consumers' 1 s batching window, which the last partial batches of a run wait out): ${fmt(w.level.processedPerSecond)} processed/s and ${fmt(w.level.acceptedPerSecond)} answered/s at concurrency ${w.burst.concurrency} (with the local default of 0: ${fmt(level.runtime.processedPerSecond)} and ${fmt(level.runtime.acceptedPerSecond)}); three copies at once ${ratio(w.burst.ratio)} one pass (${fmt(w.burst.tripledMs)} vs ${fmt(w.burst.singleMs)} ms; with 0, ${ratio(b.ratio)}, ${fmt(b.tripledMs)} vs ${fmt(b.singleMs)} ms).`,
  ]);
}

function header(r: BenchResults): string {
  const m = r.machine;
  const load = (values?: number[]) => values?.map((v) => v.toFixed(2)).join(" / ") ?? "n/a";
  return `# Benchmarks

Generated by \`npm run bench\`${r.mode === "smoke" ? " **in smoke mode (rough figures)**" : ""} on ${m.date.slice(0, 10)} in ${r.durationSeconds.toFixed(0)} s. Every comparison runs **side by side in the same run**, interleaved round by round with the order rotated after a warm-up; figures are **medians over rounds**, ratios are taken within each round. The machine is shared, so read the ratios rather than the absolute figures.

Machine: ${m.cpu}, ${m.cores} cores, ${bytes(m.memoryBytes)}, Node.js ${m.node}, ${m.os}; commit \`${m.commit}\`${m.dirty ? " with uncommitted changes" : ""}; load average ${load(m.loadAverageStart)} at start, ${load(m.loadAverageEnd)} at the end.

## Targets

${table(allTargets(r), [
  ["benchmark", (x) => x.section],
  ["target", (x) => x.target.label],
  ["figure", (x) => x.target.figure],
  ["verdict", (x) => verdict(x.target)],
  ["reproduce", (x) => (x.target.command ? `\`${x.target.command}\`` : "`npm run bench`")],
])}`;
}

const REPRODUCE = `## Reproduce

\`\`\`bash
npm run bench                          # everything; writes BENCHMARKS.md
npm run bench -- --smoke               # a few seconds, rough figures; writes bench/results/ only
npm run bench -- --only lambda,cost    # some suites: lambda, cost, edge, breakdown, cold, scaling, pipeline
npx tsx bench/profile.ts edge github   # CPU profile of the edge (or: floor; slack)
\`\`\`

Raw figures of the last run: \`bench/results/latest.json\` (not committed).`;

/**
 * The whole report.
 *
 * @example
 * writeFileSync("BENCHMARKS.md", renderMarkdown(results));
 */
export function renderMarkdown(results: BenchResults): string {
  const sections = [lambda, cost, throughput, tracer, breakdown, cold, scaling, pipeline].flatMap((s) =>
    s(results),
  );
  const rendered = sections.map((s) => [`## ${s.title}`, s.method, ...s.body].filter(Boolean).join("\n\n"));
  return `${[header(results), ...rendered, REPRODUCE].join("\n\n")}\n`;
}
