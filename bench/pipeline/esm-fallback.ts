/**
 * Lets CommonJS `require` (which tsx uses for this repository's `.ts` files) load packages that
 * export only an `import` condition, such as `@octokit/webhooks-methods`: when Node refuses a
 * bare package name with ERR_PACKAGE_PATH_NOT_EXPORTED, resolve it to the package's ESM entry,
 * which Node 20.19+ can `require`. The same fallback as `test/helpers/jest-resolver.js`, for the
 * benchmark's child processes only.
 */
import { readFileSync } from "node:fs";
import Module from "node:module";
import { join } from "node:path";
import { ROOT } from "../lib/corpus";

type Exports = string | { [condition: string]: Exports } | undefined;

function pick(entry: Exports): string | undefined {
  if (typeof entry === "string") return entry;
  if (!entry) return undefined;
  return pick(entry.node) ?? pick(entry.import) ?? pick(entry.default);
}

function esmEntry(request: string): string | undefined {
  if (!/^(@[^/]+\/)?[^./][^/]*$/.test(request)) return undefined;
  const dir = join(ROOT, "node_modules", request);
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { exports?: Exports };
    const exports = pkg.exports;
    const root = typeof exports === "object" && exports !== null && "." in exports ? exports["."] : exports;
    const target = pick(root);
    return target ? join(dir, target) : undefined;
  } catch {
    return undefined;
  }
}

/** Installs the fallback once. */
export function installEsmFallback(): void {
  const mod = Module as unknown as { _resolveFilename: (...args: unknown[]) => string };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (this: unknown, ...args: unknown[]) {
    try {
      return original.apply(this, args);
    } catch (error) {
      if ((error as { code?: string }).code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw error;
      const entry = esmEntry(String(args[0]));
      if (!entry) throw error;
      return entry;
    }
  };
}
