import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { claimDataDir, DataDirInUseError } from "../../../src/local/persistence";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gateway-claim-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const pidFile = () => join(dir, "runtime.pid");

test("a free data directory is claimed with this process's id, and released", async () => {
  const claim = await claimDataDir(dir);
  expect(readFileSync(pidFile(), "utf8")).toBe(String(process.pid));
  claim.release();
  expect(existsSync(pidFile())).toBe(false);
});

test("a data directory held by a running process is refused after the wait, naming it", async () => {
  writeFileSync(pidFile(), "1");
  await expect(claimDataDir(dir, 200)).rejects.toThrow(DataDirInUseError);
  await expect(claimDataDir(dir, 0)).rejects.toThrow(`${dir} is in use by another local runtime (pid 1)`);
  expect(readFileSync(pidFile(), "utf8")).toBe("1");
});

test("a claim left by a process that is gone (killed, crashed) is taken over", async () => {
  const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
  writeFileSync(pidFile(), String(gone));
  await claimDataDir(dir, 0);
  expect(readFileSync(pidFile(), "utf8")).toBe(String(process.pid));
});

test("a claim whose process is a zombie (killed, not yet reaped) is taken over", async () => {
  // A forked child exits at once; its parent never waits for it: a zombie while the parent sleeps.
  const script = '$| = 1; my $pid = fork(); exit 0 if $pid == 0; print "$pid\\n"; sleep 5;';
  const parent = spawn("perl", ["-e", script], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout!.once("data", resolve)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const state = readFileSync(`/proc/${zombie}/stat`, "utf8").split(") ")[1]![0];
    writeFileSync(pidFile(), String(zombie));
    await claimDataDir(dir, 0);
    expect({ state, owner: readFileSync(pidFile(), "utf8") }).toEqual({
      state: "Z",
      owner: String(process.pid),
    });
  } finally {
    parent.kill("SIGKILL");
  }
});
