/**
 * Runs the real Terraform CLI on synthesized stacks, offline: Terraform comes from PATH and
 * hashicorp/aws from a filesystem plugin mirror (`TF_PROVIDER_MIRROR`, or one of the usual plugin
 * directories). Nothing is downloaded and no backend is contacted.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** Where hashicorp/aws lives inside a mirror (the registry host/namespace/type layout). */
const AWS_PROVIDER_PATH = join("registry.terraform.io", "hashicorp", "aws");

/** Terraform and a mirror holding hashicorp/aws for this platform, or why they cannot be used. */
export type TerraformTools =
  | { ok: true; terraform: string; mirror: string; providerVersion: string }
  | { ok: false; reason: string };

/** A Terraform command that failed to run or exited non-zero where that means failure. */
export class TerraformCommandError extends Error {
  override readonly name = "TerraformCommandError";
}

/**
 * Terraform's name for this platform, as used in mirror directories.
 *
 * @example
 * terraformPlatform() // "linux_amd64"
 */
export function terraformPlatform(): string {
  const arch = { x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" }[process.arch as string];
  return `${process.platform}_${arch ?? process.arch}`;
}

/**
 * The first executable `name` on `env.PATH`.
 *
 * @example
 * findOnPath("terraform", process.env) // "/usr/local/bin/terraform"
 */
export function findOnPath(name: string, env: Env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Directories that may hold a provider mirror: `TF_PROVIDER_MIRROR` alone when set; otherwise the
 * implied local mirror directories Terraform documents for Unix (`~/.terraform.d/plugins`, then
 * `terraform/plugins` under `XDG_DATA_HOME` and each of `XDG_DATA_DIRS`), and `/opt/tf-plugins`,
 * where this project's offline build image puts its mirror.
 *
 * @example
 * mirrorCandidates({ TF_PROVIDER_MIRROR: "/srv/mirror" }) // ["/srv/mirror"]
 */
export function mirrorCandidates(env: Env): string[] {
  if (env.TF_PROVIDER_MIRROR) return [env.TF_PROVIDER_MIRROR];
  const home = env.HOME ?? homedir();
  const dataHome = env.XDG_DATA_HOME || join(home, ".local", "share");
  const dataDirs = (env.XDG_DATA_DIRS || "/usr/local/share:/usr/share").split(":").filter(Boolean);
  return [
    join(home, ".terraform.d", "plugins"),
    ...[dataHome, ...dataDirs].map((dir) => join(dir, "terraform", "plugins")),
    "/opt/tf-plugins",
  ];
}

/**
 * The hashicorp/aws versions a mirror holds for this platform, in either mirror layout
 * (unpacked `<version>/<platform>/terraform-provider-aws*`, packed `terraform-provider-aws_<version>_<platform>.zip`).
 *
 * @example
 * mirrorProviderVersions("/opt/tf-plugins") // ["5.100.0"]
 */
export function mirrorProviderVersions(mirror: string): string[] {
  const dir = join(mirror, AWS_PROVIDER_PATH);
  if (!existsSync(dir)) return [];
  const platform = terraformPlatform();
  const versions = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const packed = new RegExp(`^terraform-provider-aws_(.+)_${platform}\\.zip$`).exec(entry.name);
    if (entry.isFile() && packed) versions.add(packed[1]!);
    const unpacked = join(dir, entry.name, platform);
    if (
      entry.isDirectory() &&
      existsSync(unpacked) &&
      readdirSync(unpacked).some((f) => f.startsWith("terraform-provider-aws"))
    )
      versions.add(entry.name);
  }
  return [...versions].sort(compareVersions);
}

/**
 * Orders dotted version numbers numerically.
 *
 * @example
 * ["5.9.0", "5.100.0"].sort(compareVersions) // ["5.9.0", "5.100.0"]
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return 0;
}

/**
 * Finds Terraform on PATH and the first mirror holding hashicorp/aws (its newest version there).
 *
 * @example
 * const tools = locateTerraform(process.env);
 * if (tools.ok) console.log(tools.terraform, tools.mirror, tools.providerVersion);
 */
export function locateTerraform(env: Env): TerraformTools {
  const terraform = findOnPath("terraform", env);
  if (!terraform) return { ok: false, reason: "no terraform binary on PATH" };
  const candidates = mirrorCandidates(env);
  for (const mirror of candidates) {
    const version = mirrorProviderVersions(mirror).at(-1);
    if (version) return { ok: true, terraform, mirror, providerVersion: version };
  }
  return {
    ok: false,
    reason: `no hashicorp/aws provider for ${terraformPlatform()} in a plugin mirror (looked in ${candidates.join(", ")}; set TF_PROVIDER_MIRROR)`,
  };
}

/**
 * The Terraform CLI configuration that installs providers from `mirror` only.
 *
 * @example
 * cliConfig("/opt/tf-plugins") // 'provider_installation {\n  filesystem_mirror {\n    path = "/opt/tf-plugins"…'
 */
export function cliConfig(mirror: string): string {
  return [
    "provider_installation {",
    "  filesystem_mirror {",
    `    path = ${JSON.stringify(mirror)}`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/** One diagnostic of `terraform validate -json`. */
export interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number; column: number } };
  snippet?: { context?: string | null; code: string };
}

/** The output of `terraform validate -json`. */
export interface ValidateResult {
  valid: boolean;
  error_count: number;
  warning_count: number;
  diagnostics: Diagnostic[];
}

/**
 * One diagnostic on one line: severity, summary, address, detail, position, code.
 *
 * @example
 * formatDiagnostic(d) // 'error: Unsupported argument at aws_sqs_queue.q — An argument named "x" is not expected here. (main.tf.json:12:9: "x": 1,)'
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.range ? `${d.range.filename}:${d.range.start.line}:${d.range.start.column}` : "";
  const code = d.snippet?.code.trim() ?? "";
  return [
    `${d.severity}: ${d.summary}`,
    (d.address ?? d.snippet?.context) ? ` at ${d.address ?? d.snippet?.context}` : "",
    d.detail ? ` — ${d.detail}` : "",
    where || code ? ` (${[where, code].filter(Boolean).join(": ")})` : "",
  ].join("");
}

/** The exit status, stdout and stderr of a finished command. */
interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") {
          reject(new TerraformCommandError(`${file} ${args.join(" ")}: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/**
 * A temporary directory with one working directory per configuration, sharing a single
 * `terraform init`: every configuration requires the same provider, so one data directory
 * (`TF_DATA_DIR`, holding the link to the mirrored provider) and one lock file serve them all.
 */
export class TerraformWorkspace {
  private initialized = false;

  private constructor(
    readonly tools: Extract<TerraformTools, { ok: true }>,
    readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /**
   * Creates the temporary directory and the CLI configuration pointing at the mirror.
   *
   * @example
   * const workspace = await TerraformWorkspace.create(tools);
   */
  static async create(tools: Extract<TerraformTools, { ok: true }>): Promise<TerraformWorkspace> {
    const root = await mkdtemp(join(tmpdir(), "gateway-terraform-"));
    const cliConfigFile = join(root, "terraform.tfrc");
    await writeFile(cliConfigFile, cliConfig(tools.mirror));
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Nothing from the developer's shell may redirect installation or add arguments.
    for (const name of Object.keys(env))
      if (/^TF_(CLI_ARGS|PLUGIN_CACHE_DIR|LOG|WORKSPACE)/.test(name)) delete env[name];
    Object.assign(env, {
      TF_CLI_CONFIG_FILE: cliConfigFile,
      TF_DATA_DIR: join(root, "terraform-data"),
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
    });
    return new TerraformWorkspace(tools, root, env);
  }

  /**
   * Writes `json` as `<root>/<name>/main.tf.json` and returns that directory.
   *
   * @example
   * const dir = await workspace.write("default", json);
   */
  async write(name: string, json: unknown): Promise<string> {
    const dir = join(this.root, name.replace(/[^\w.-]+/g, "-"));
    mkdirSync(dir, { recursive: true });
    await writeFile(join(dir, "main.tf.json"), `${JSON.stringify(json, null, 2)}\n`);
    return dir;
  }

  /**
   * `terraform init -backend=false` in `dir` (once per workspace: later calls copy the lock file).
   *
   * @example
   * await workspace.init(dir);
   */
  async init(dir: string): Promise<void> {
    const lockFile = join(this.root, ".terraform.lock.hcl");
    if (this.initialized) {
      copyFileSync(lockFile, join(dir, ".terraform.lock.hcl"));
      return;
    }
    const args = ["init", "-backend=false", "-input=false", "-no-color"];
    const result = await run(this.tools.terraform, args, dir, this.env);
    if (result.code !== 0)
      throw new TerraformCommandError(
        `terraform ${args.join(" ")} failed:\n${result.stderr}${result.stdout}`,
      );
    copyFileSync(join(dir, ".terraform.lock.hcl"), lockFile);
    this.initialized = true;
  }

  /**
   * `terraform validate -json` in an initialized `dir`.
   *
   * @example
   * const { valid, diagnostics } = await workspace.validate(dir);
   */
  async validate(dir: string): Promise<ValidateResult> {
    const result = await run(this.tools.terraform, ["validate", "-json", "-no-color"], dir, this.env);
    try {
      return JSON.parse(result.stdout) as ValidateResult;
    } catch {
      throw new TerraformCommandError(
        `terraform validate -json printed no JSON (exit ${result.code}):\n${result.stderr}${result.stdout}`,
      );
    }
  }

  /**
   * Removes the temporary directory (the data directory only links to the mirrored provider).
   *
   * @example
   * await workspace.dispose();
   */
  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
