/**
 * The layout's dependency rules, checked on the source: the core (what is deployed to Lambda and
 * what it shares) never imports the user's listeners, the local runtime, the command line, the
 * soak, the benchmarks or the stack; the contract imports nothing but the shared base.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** Every relative import of a file, as a path from the repository root. */
function relativeImports(file: string): { line: number; target: string }[] {
  const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
  const found: { line: number; target: string }[] = [];
  lines.forEach((text, index) => {
    for (const match of text.matchAll(
      /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g,
    )) {
      found.push({ line: index + 1, target: relative(ROOT, resolve(ROOT, dirname(file), match[1]!)) });
    }
  });
  return found;
}

function violations(folders: string[], forbidden: string[]): string[] {
  return folders.flatMap((folder) =>
    sourceFiles(folder).flatMap((file) =>
      relativeImports(file)
        .filter(({ target }) => forbidden.some((f) => target === f || target.startsWith(`${f}/`)))
        .map(({ line, target }) => `${file}:${line} imports ${target}`),
    ),
  );
}

const CORE = [
  "src/contract",
  "src/shared",
  "src/edge",
  "src/consumers",
  "src/redelivery",
  "src/config",
  "src/fixtures",
];
const OUTSIDE_THE_CORE = ["listeners", "src/local", "src/cli", "src/testing", "soak", "bench", "stacks"];

test("the core imports nothing from the listeners, the local runtime, the CLI, soak, bench or stacks", () => {
  expect(violations(CORE, OUTSIDE_THE_CORE)).toEqual([]);
});

test("the contract depends on nothing but the shared base", () => {
  const others = ["src/edge", "src/consumers", "src/redelivery", "src/config", "src/fixtures"];
  expect(violations(["src/contract"], [...others, ...OUTSIDE_THE_CORE])).toEqual([]);
});

test("the check sees a forbidden import (it is not vacuous)", () => {
  // The local runtime does import the consumers and the listeners: the scan must find them.
  expect(violations(["src/local"], ["src/consumers"]).length).toBeGreaterThan(0);
  expect(violations(["src/local"], ["listeners"]).length).toBeGreaterThan(0);
});

test("the contract imports no AWS SDK", () => {
  const sdk = sourceFiles("src/contract").filter((file) =>
    /from\s+["']@aws-sdk\//.test(readFileSync(join(ROOT, file), "utf8")),
  );
  expect(sdk).toEqual([]);
});
