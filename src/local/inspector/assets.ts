import { existsSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { dirname, join } from "node:path";

/** The page's files, committed next to this module: no CDN, nothing fetched at run time. */
const FILES = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
} as const;

export type AssetName = keyof typeof FILES;

// Only this page's own files, inline styles for nothing, and no frames: a strict policy costs nothing here.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Reads the page's files once: from `src/local/inspector/` beside this module under tsx and jest,
 * or from the source tree when `npm start` runs the esbuild bundle in `.gen/`. The HTML gets the
 * runtime's token (sent back with actions) in a meta tag.
 *
 * @example
 * const assets = loadAssets(token);
 * assets.serve(res, "index.html");
 */
export function loadAssets(token: string) {
  const dir = assetDir();
  const contents = new Map<AssetName, Buffer>();
  for (const name of Object.keys(FILES) as AssetName[]) {
    const text = readFileSync(join(dir, name), "utf8");
    contents.set(
      name,
      Buffer.from(name === "index.html" ? text.replace("__INSPECTOR_TOKEN__", token) : text),
    );
  }
  return {
    serve(res: ServerResponse, name: AssetName, head = false): void {
      const body = contents.get(name)!;
      res.writeHead(200, {
        "content-type": FILES[name],
        "content-length": body.length,
        "cache-control": "no-store",
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
      });
      res.end(head ? undefined : body);
    },
  };
}

function assetDir(): string {
  const candidates = [
    __dirname,
    join(__dirname, "inspector"),
    join(__dirname.replace(/([\\/])\.gen([\\/])/, "$1"), "inspector"),
    // Bundled elsewhere under the repository (the soak's runtime, .gen/soak/): from its root.
    ...ancestors(__dirname).map((dir) => join(dir, "src", "local", "inspector")),
  ];
  const found = candidates.find(
    (dir) => existsSync(join(dir, "index.html")) && existsSync(join(dir, "app.js")),
  );
  if (!found) throw new Error(`inspector page not found (looked in ${candidates.join(", ")})`);
  return found;
}

/** `dir` and every directory above it. */
function ancestors(dir: string): string[] {
  const parent = dirname(dir);
  return parent === dir ? [dir] : [dir, ...ancestors(parent)];
}
