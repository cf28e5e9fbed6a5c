import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAlive, LOCK_FILE, lockDataDir } from "../../../src/local/data-dir-lock";
import { DataDirInUseError } from "../../../src/local/errors";

/** Above Linux's largest pid (2^22): never a live process. */
const GONE = 2 ** 22 + 1;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gateway-lock-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("takes the data directory with our pid, and gives it back", () => {
  const lock = lockDataDir(dir);
  expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);

  lock.release();
  expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
});

test("a second runtime on a directory held by a live process is refused in one line that says what to do", () => {
  // The parent process (npm, the test runner) is alive and is not us.
  writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);

  expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
  expect(() => lockDataDir(dir)).toThrow(
    `${dir} is in use by another webhook-gateway (pid ${process.ppid}): stop it, or start this one with LOCAL_DATA_DIR=<another dir> PORT=0`,
  );
  expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.ppid}\n`);
});

test("a lock left by a process that is gone, or unreadable, is stale and taken over", () => {
  for (const content of [`${GONE}\n`, "garbage"]) {
    writeFileSync(join(dir, LOCK_FILE), content);
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), "utf8")).toBe(`${process.pid}\n`);
    lock.release();
  }
});

test("isAlive tells a live pid from a gone one", () => {
  expect(isAlive(process.pid)).toBe(true);
  expect(isAlive(GONE)).toBe(false);
});
