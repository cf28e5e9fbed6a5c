/** The chart's panels from one run's results. */
import type { Panel } from "./chart";
import type { BenchResults } from "./types";

const EDGE = "#2e86de";
const PEER = "#e67e22";
const FLOOR = "#95a5a6";
const OTHER = "#8e44ad";

const BUNDLE_LABELS: Record<string, string> = {
  ingest: "edge",
  "ingest-traced": "edge, traced",
};

const SHORT: Record<string, string> = {
  "part-s3": "+ S3\nclient",
  "part-secrets": "+ Secrets\nManager",
  "part-tracer": "+ Tracer\n(X-Ray)",
  "part-logger-metrics": "+ Logger,\nMetrics",
  "part-all": "+ all but\nTracer",
  "part-all-lazy": "+ same,\nlazy Tracer",
};

/**
 * Builds the chart panels for whichever suites ran.
 *
 * @example
 * renderChart(panels(results), "subtitle")
 */
export function panels(results: BenchResults): Panel[] {
  const out: Panel[] = [];
  const t = results.throughput;
  if (t) {
    out.push({
      title: "1. Throughput relative to the floor (events/s ÷ floor's events/s; higher is better)",
      format: (v) => `${v.toFixed(2)}×`,
      lines: [{ value: 0.8, label: "target: edge ≥ 0.8× floor" }],
      groups: t.corpora.map((corpus) => ({
        label: corpus.corpus === "github" ? "GitHub examples (329)" : `Slack fixtures (${corpus.events})`,
        bars: corpus.contenders.map((c) => ({
          label:
            c.name === "Bolt AwsLambdaReceiver"
              ? "Bolt"
              : c.name === "@octokit/webhooks"
                ? "Octokit"
                : c.name,
          value: c.ratioToReference,
          color: c.name === "edge" ? EDGE : c.name.startsWith("floor") ? FLOOR : PEER,
        })),
      })),
    });
  }
  const c = results.cold;
  if (c) {
    const sqs = c.bundles.find((b) => b.name === "sqs-only");
    const bolt = c.bundles.find((b) => b.name === "bolt");
    out.push({
      title: "2. Cold start: process start → handler loaded (ms, median; lower is better)",
      format: (v) => `${v.toFixed(0)} ms`,
      lines: [
        ...(sqs ? [{ value: sqs.readyMs * 1.25, label: "target: ≤ 1.25× SQS-only", color: "#c0392b" }] : []),
        ...(bolt ? [{ value: bolt.readyMs * 0.6, label: "target: ≤ 0.6× Bolt", color: "#16a085" }] : []),
      ],
      groups: [
        {
          label: "bundles (size)",
          bars: c.bundles.map((b) => ({
            label: `${BUNDLE_LABELS[b.name] ?? b.name}\n${(b.bytes / 1024).toFixed(0)} KiB`,
            value: b.readyMs,
            color: b.name.startsWith("ingest") ? EDGE : b.name === "bolt" ? PEER : FLOOR,
          })),
        },
        ...(c.composition.length
          ? [
              {
                label: "SQS-only + one edge dependency",
                bars: c.composition.map((p) => ({
                  label: SHORT[p.name] ?? p.name,
                  value: p.readyMs,
                  color: OTHER,
                })),
              },
            ]
          : []),
      ],
    });
  }
  const s = results.scaling;
  if (s) {
    out.push({
      title: "3. Edge cost ÷ floor cost per event, by payload size (lower is better)",
      format: (v) => `${v.toFixed(2)}×`,
      lines: [{ value: 1.25, label: "1.25× = the 0.8 throughput target" }],
      groups: s.points.map((p) => ({
        label: p.label + (p.claimChecked ? " (claim check)" : ""),
        bars: [
          { label: "ASCII", value: p.ascii.costRatio, color: EDGE },
          { label: "non-ASCII", value: p.utf8.costRatio, color: OTHER },
        ],
      })),
    });
  }
  const p = results.pipeline;
  if (p?.status === "done") {
    out.push({
      title: "4. Local pipeline: deliveries per second by concurrency (higher is better)",
      format: (v) => v.toFixed(0),
      groups: p.levels.map((level) => ({
        label: `concurrency ${level.concurrency}`,
        bars: [
          { label: "runtime\nanswered", value: level.runtime.acceptedPerSecond, color: EDGE },
          { label: "runtime\nprocessed", value: level.runtime.processedPerSecond, color: OTHER },
          { label: "Octokit", value: level.octokit.acceptedPerSecond, color: PEER },
        ],
      })),
    });
  }
  return out;
}
