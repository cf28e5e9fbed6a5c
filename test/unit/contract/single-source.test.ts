import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ENV } from "../../../src/contract/environment";

/**
 * The contract (src/contract/) is the only place where a value that crosses a deployment unit is
 * written. This scans the product source for copies, so a new literal fails here with its file and
 * line instead of diverging silently (the layout issue found 604800 in four places and two FIFO
 * rules). Comments are not code: TSDoc may still name a variable or show a value.
 */
const ROOT = join(__dirname, "../../..");
const SCANNED = ["src", "stacks", "handlers"];
const EXCLUDED = join("src", "contract");

interface Line {
  file: string;
  line: number;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === EXCLUDED ? [] : sourceFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Code lines only: TSDoc and block comments (this codebase opens them on their own line) and `//` comments are blanked. */
function codeLines(file: string): Line[] {
  const lines: Line[] = [];
  let inBlock = false;
  readFileSync(join(ROOT, file), "utf8")
    .split("\n")
    .forEach((text, index) => {
      const trimmed = text.trim();
      if (!inBlock && trimmed.startsWith("/*")) inBlock = true;
      if (inBlock) {
        if (trimmed.includes("*/")) inBlock = false;
        return;
      }
      if (trimmed.startsWith("//")) return;
      lines.push({ file, line: index + 1, code: text.replace(/\s\/\/\s.*$/, "") });
    });
  return lines;
}

const CODE = SCANNED.flatMap(sourceFiles).flatMap(codeLines);

function copiesOf(pattern: RegExp): string[] {
  return CODE.filter((l) => pattern.test(l.code)).map(
    (l) => `${relative(ROOT, join(ROOT, l.file))}:${l.line}: ${l.code.trim()}`,
  );
}

test("the scan sees the product source", () => {
  expect(CODE.length).toBeGreaterThan(3000);
  expect(CODE.some((l) => l.file.startsWith(EXCLUDED))).toBe(false);
  expect(CODE.some((l) => l.file.startsWith("stacks"))).toBe(true);
  expect(CODE.some((l) => l.file.startsWith("handlers"))).toBe(true);
});

const LITERALS: [string, RegExp][] = [
  ["the idempotency expiry (604800)", /\b604_?800\b/],
  ["the SQS retention maximum (1209600)", /\b1_?209_?600\b/],
  ["the SQS message size (1048576)", /\b1_?048_?576\b/],
  ["the claim-check prefix", /(["'`]|\}\/)events\//],
  ["the metrics namespace", /["'`]WebhookGateway["'`]/],
  [
    "a metric name",
    /["'`](Received|Rejected|Queued|Unrouted|Answered|Processed|DuplicateSkipped|Filtered)["'`]/,
  ],
  ["an archive index name", /["'`]by-(source|type|day)["'`]/],
  [
    "a notifier event type",
    /["'`]com\.github\.(pull_request\.closed|issues\.opened|release\.published|workflow_run\.completed)["'`]/,
  ],
  ["the consumer-name pattern", /\[A-Za-z0-9_-\]\{1,64\}/],
  ["the FIFO token rule", /\\x21-\\x7e|function fifoToken/],
  ["the visibility-timeout formula", /\b6\s*\*\s*[\w.]*timeout|timeoutSeconds\s*\*\s*6\b/i],
  ["the function URL body limit (6 MiB)", /\b6\s*\*\s*1024\s*\*\s*1024\b/],
];

test.each(LITERALS)("%s is written only in src/contract", (_what, pattern) => {
  expect(copiesOf(pattern)).toEqual([]);
});

test.each(Object.values(ENV))("the environment variable name %s is written only in src/contract", (name) => {
  // Quoted ("NAME"), an object key (NAME: …) or a property (env.NAME): the ways a name is written.
  expect(copiesOf(new RegExp(`["'\`]${name}["'\`]|\\b${name}\\s*:|\\.${name}\\b`))).toEqual([]);
});
