import { spawnSync } from "node:child_process";
import { join } from "node:path";

const bin = join(__dirname, "../../../bin/webhook-gateway.cjs");

test("the bundled CLI prints register github's help and exits 0", () => {
  const result = spawnSync(process.execPath, [bin, "register", "github", "--help"], { encoding: "utf8" });

  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.stdout).toContain("Usage: webhook-gateway register github (--repo owner/name | --org name)");
});

test("a usage mistake exits 2 with a one-line error", () => {
  const result = spawnSync(process.execPath, [bin, "register", "github", "--url", "https://x"], {
    encoding: "utf8",
  });

  expect(result.status).toBe(2);
  expect(result.stderr).toBe("register: give exactly one of --repo or --org (see --help)\n");
});
