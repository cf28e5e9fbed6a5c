import { existsSync, readFileSync } from "node:fs";

/**
 * Reads a `.env` file (`NAME=value` lines, `#` comments, optional single or double quotes) into
 * an object. Variables already set in the environment win over the file.
 *
 * @example
 * readEnvFile(".env") // { GITHUB_WEBHOOK_SECRET: "…" }
 */
export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!match || line.trimStart().startsWith("#")) continue;
    let value = match[2]!;
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, "");
    values[match[1]!] = value;
  }
  return values;
}
