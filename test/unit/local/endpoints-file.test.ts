import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ENDPOINTS_FILE,
  readEndpointsFile,
  removeEndpointsFile,
  writeEndpointsFile,
} from "../../../src/local/endpoints-file";

let dir: string;
const endpoints = {
  pid: process.pid,
  url: "http://127.0.0.1:3000",
  sqs: "http://127.0.0.1:40001",
  s3: "http://127.0.0.1:40001",
  dynamodb: "http://127.0.0.1:40002",
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "gateway-endpoints-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("what a running runtime writes, the CLI reads back", () => {
  writeEndpointsFile(dir, endpoints);
  expect(readEndpointsFile(dir)).toEqual(endpoints);
});

test("a file whose process is gone, a missing file and a malformed one read as no runtime", () => {
  writeEndpointsFile(dir, endpoints);
  expect(readEndpointsFile(dir, () => false)).toBeUndefined();
  writeFileSync(join(dir, ENDPOINTS_FILE), '{"pid":1,"url":3}');
  expect(readEndpointsFile(dir)).toBeUndefined();
  rmSync(join(dir, ENDPOINTS_FILE));
  expect(readEndpointsFile(dir)).toBeUndefined();
});

test("a clean stop removes its own file only", () => {
  writeEndpointsFile(dir, { ...endpoints, pid: process.ppid });
  removeEndpointsFile(dir);
  expect(existsSync(join(dir, ENDPOINTS_FILE))).toBe(true);

  writeEndpointsFile(dir, endpoints);
  removeEndpointsFile(dir);
  expect(existsSync(join(dir, ENDPOINTS_FILE))).toBe(false);
});
