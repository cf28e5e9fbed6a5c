import { spawnSync } from "node:child_process";
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

test("a free data directory is claimed with this process's id, and released", () => {
  const claim = claimDataDir(dir);
  expect(readFileSync(pidFile(), "utf8")).toBe(String(process.pid));
  claim.release();
  expect(existsSync(pidFile())).toBe(false);
});

test("a data directory held by a running process is refused, naming it", () => {
  writeFileSync(pidFile(), "1");
  expect(() => claimDataDir(dir)).toThrow(DataDirInUseError);
  expect(() => claimDataDir(dir)).toThrow(`${dir} is in use by another local runtime (pid 1)`);
  expect(readFileSync(pidFile(), "utf8")).toBe("1");
});

test("a claim left by a process that is gone (killed, crashed) is taken over", () => {
  const gone = spawnSync(process.execPath, ["-e", "0"]).pid!;
  writeFileSync(pidFile(), String(gone));
  claimDataDir(dir);
  expect(readFileSync(pidFile(), "utf8")).toBe(String(process.pid));
});
