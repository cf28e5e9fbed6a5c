/**
 * One esbuild bundle per Lambda entry point: `handlers/ingest.ts`, every `handlers/consumers/*.ts`
 * and `handlers/redeliver.ts` when they exist, each into `<outdir>/<name>/index.js`.
 * Shared by `npm run build`, the infrastructure tests and anything else that needs the bundles.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { CodedError } from "../src/shared/errors";

/** The handlers cannot be bundled as they are (a name clash, a forbidden dependency). */
export class BundleError extends CodedError {}

/** A Lambda entry point: the bundle's directory name and the TypeScript file it starts from. */
export interface HandlerEntry {
  name: string;
  entry: string;
  /**
   * Packages the handler `require`s only on a path its first answer does not take, by package,
   * with the names it takes from them: bundled apart (see {@link EDGE_LAZY_PACKAGES}).
   */
  lazyPackages?: LazyPackages;
}

/** Package name → the exported names a handler takes from it. */
export type LazyPackages = Readonly<Record<string, readonly string[]>>;

/**
 * What the edge loads only for a claim check (S3), with tracing on (the Tracer and the X-Ray
 * SDK) or for a line it logs (the Logger): ~340 KiB that every cold start parsed although the
 * first answer does not run it (and ~25 ms of cold start with `keepNames`: BENCHMARKS.md). Each is bundled apart, with only these
 * names, into `<bundle>/node_modules/<package>/index.js`, where the bundle's own lazy `require`
 * finds it at run time; the edge bundle marks them external.
 */
export const EDGE_LAZY_PACKAGES: LazyPackages = {
  "@aws-sdk/client-s3": ["S3Client", "PutObjectCommand"],
  "@aws-lambda-powertools/tracer": ["Tracer"],
  // Loaded on the first line the edge logs (handlers/ingest.ts: `lazyLogger`).
  "@aws-lambda-powertools/logger": ["Logger"],
};

export interface BundleResult extends HandlerEntry {
  /** `<outdir>/<name>/index.js`. */
  outfile: string;
  /** Size of `index.js` in bytes. */
  bytes: number;
  metafile: Metafile;
  /** The metafiles of the packages bundled apart (`lazyPackages`), by package. */
  lazyMetafiles: Record<string, Metafile>;
}

export interface BundleOptions {
  /** Emit `index.js.map` next to the bundle (linked, without sources). Default: true. */
  sourcemap?: boolean;
  /** esbuild's target: the Lambda runtime's Node.js (`bundleTarget(config.lambdaRuntime)`). Default: node24. */
  target?: string;
}

/** The repository root (this file lives in `stacks/`). */
export const ROOT = resolve(__dirname, "..");

/**
 * Packages the edge must never bundle: the DESIGN keeps its cold start small. Paths are matched
 * against esbuild metafile inputs, so `@octokit/webhooks-methods` (a different folder) stays allowed.
 */
export const EDGE_FORBIDDEN_INPUTS = [
  "node_modules/@slack/bolt/",
  "node_modules/@octokit/webhooks/",
] as const;

/**
 * Lists the entry points that exist under `root`; missing optional ones are skipped.
 *
 * @example
 * discoverHandlers() // [{ name: "ingest", entry: "/repo/handlers/ingest.ts" }, { name: "archive", … }]
 */
export function discoverHandlers(root = ROOT): HandlerEntry[] {
  const handlers = join(root, "handlers");
  const entries: HandlerEntry[] = [
    { name: "ingest", entry: join(handlers, "ingest.ts"), lazyPackages: EDGE_LAZY_PACKAGES },
  ];
  const consumers = join(handlers, "consumers");
  if (existsSync(consumers)) {
    for (const file of readdirSync(consumers).sort()) {
      if (!file.endsWith(".ts") || file.endsWith(".d.ts") || file.endsWith(".test.ts")) continue;
      entries.push({ name: basename(file, ".ts"), entry: join(consumers, file) });
    }
  }
  const redeliver = join(handlers, "redeliver.ts");
  if (existsSync(redeliver)) entries.push({ name: "redeliver", entry: redeliver });
  const seen = new Set<string>();
  for (const { name, entry } of entries) {
    if (seen.has(name)) {
      throw new BundleError("bundle_name_clash", `two handlers would both bundle to dist/${name} (${entry})`);
    }
    seen.add(name);
  }
  return entries;
}

/**
 * Bundles one handler into `<outdir>/<name>/index.js` (CommonJS for the Lambda Node.js runtime,
 * minified, AWS SDK included so the deployed code does not depend on the runtime's SDK version).
 *
 * @example
 * const { bytes, metafile } = await bundleHandler({ name: "ingest", entry: "handlers/ingest.ts" }, "dist");
 */
export async function bundleHandler(
  handler: HandlerEntry,
  outdir: string,
  options: BundleOptions = {},
): Promise<BundleResult> {
  const dir = join(outdir, handler.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, "index.js");
  const lazy = handler.lazyPackages ?? {};
  const result = await build({
    ...buildOptions(options),
    entryPoints: [handler.entry],
    outfile,
    external: Object.keys(lazy),
  });
  const lazyMetafiles: Record<string, Metafile> = {};
  for (const [name, exported] of Object.entries(lazy)) {
    const apart = await build({
      ...buildOptions(options),
      stdin: {
        contents: `export { ${exported.join(", ")} } from ${JSON.stringify(name)};`,
        resolveDir: ROOT,
        sourcefile: `lazy:${name}`,
        loader: "js",
      },
      outfile: join(dir, "node_modules", name, "index.js"),
    });
    lazyMetafiles[name] = apart.metafile;
  }
  return { ...handler, outfile, bytes: statSync(outfile).size, metafile: result.metafile, lazyMetafiles };
}

/**
 * esbuild's options for a Lambda bundle: CommonJS for the Lambda Node.js runtime, minified, AWS
 * SDK included so the deployed code does not depend on the runtime's SDK version.
 */
function buildOptions(options: BundleOptions): BuildOptions & { metafile: true } {
  const sourcemap = options.sourcemap ?? true;
  return {
    bundle: true,
    platform: "node",
    target: options.target ?? "node24",
    format: "cjs",
    minify: true,
    // Stack traces stay readable in CloudWatch even where the source map is not applied, and
    // error classes keep their names (`CodedError` takes `new.target.name`).
    keepNames: true,
    sourcemap: sourcemap ? "linked" : false,
    sourcesContent: false,
    // Prefer ESM builds: they tree-shake far better than the CommonJS ones.
    mainFields: ["module", "main"],
    // ESM-only packages (Octokit and friends) may read `import.meta.url`, which is empty in
    // CommonJS output; give them the bundle's own URL instead.
    define: { "import.meta.url": "__importMetaUrl" },
    banner: { js: 'const __importMetaUrl=require("node:url").pathToFileURL(__filename).href;' },
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
  };
}

/**
 * Metafile inputs under any of the forbidden path prefixes.
 *
 * @example
 * forbiddenInputs(result.metafile) // [] when the edge is clean
 */
export function forbiddenInputs(
  metafile: Metafile,
  forbidden: readonly string[] = EDGE_FORBIDDEN_INPUTS,
): string[] {
  return Object.keys(metafile.inputs).filter((input) => {
    const path = input.replaceAll("\\", "/");
    return forbidden.some((prefix) => path.includes(prefix));
  });
}

/**
 * Bundles every handler found under `root` into `outdir`, then fails if the edge bundle pulls in
 * Bolt or the `@octokit/webhooks` event emitter.
 *
 * @example
 * const results = await bundleAll({ outdir: "dist" });
 */
export async function bundleAll(
  options: { root?: string; outdir?: string } & BundleOptions = {},
): Promise<BundleResult[]> {
  const root = options.root ?? ROOT;
  const outdir = options.outdir ?? join(root, "dist");
  const results: BundleResult[] = [];
  // One at a time: the build machine may be small, and each bundle is a few seconds at most.
  for (const handler of discoverHandlers(root)) results.push(await bundleHandler(handler, outdir, options));
  const ingest = results.find((r) => r.name === "ingest");
  const leaked = ingest
    ? [ingest.metafile, ...Object.values(ingest.lazyMetafiles)].flatMap((metafile) =>
        forbiddenInputs(metafile),
      )
    : [];
  if (leaked.length > 0) {
    throw new BundleError(
      "forbidden_bundle_input",
      `the ingest bundle must not include @slack/bolt or @octokit/webhooks:\n  ${leaked.join("\n  ")}`,
    );
  }
  return results;
}
