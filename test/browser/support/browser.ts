import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`), or whatever `chromium` is on the PATH. */
export function findChromium(): string | undefined {
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const CHROMIUM = findChromium();
if (!CHROMIUM && process.env.CI === "true") {
  throw new Error(
    "Chromium not found (/usr/bin/chromium or chromium on the PATH): the browser tests need it in CI",
  );
}
if (!CHROMIUM) console.log("test/browser: skipped, Chromium not found (apt-get install chromium)");

/** `describe` when Chromium is there; otherwise the suite is skipped (outside CI only: CI fails above). */
export const describeWithBrowser = CHROMIUM ? describe : describe.skip;

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, no network of its own (no sync, no component updates). */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "inspector-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go (gitignored). */
export const RESULTS_DIR = join(__dirname, "..", "..", "..", "test-results");

/**
 * Runs a test's body; when it fails, saves a screenshot of the list and one of the detail pane to
 * `test-results/` and names them in the error. With `SCREENSHOTS=always` it saves them anyway.
 */
export async function withScreenshots(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  let failure: unknown;
  try {
    await body();
  } catch (error) {
    failure = error;
  }
  if (failure === undefined && process.env.SCREENSHOTS !== "always") return;
  const paths = await screenshots(page, name);
  if (failure === undefined) return;
  const message = failure instanceof Error ? failure.message : String(failure);
  throw Object.assign(failure instanceof Error ? failure : new Error(message), {
    message: `${message}\nScreenshots: ${paths.join(", ")}`,
  });
}

async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  const list = join(RESULTS_DIR, `${slug}-list.png`);
  const detail = join(RESULTS_DIR, `${slug}-detail.png`);
  await page.screenshot({ path: list, fullPage: true }).catch(() => undefined);
  await page
    .locator("#detail-pane")
    .screenshot({ path: detail })
    .catch(() => undefined);
  return [list, detail];
}
